using System;
using System.Collections.Generic;

namespace ExternalIdp.Core.DesiredState
{
    /// <summary>
    /// One IdP as a desired state describes it: its name, the settings it mentions (IdpSettings:
    /// null = not mentioned, so never compared or changed), the names of its secrets, and Kratos
    /// keys without a parameter. Read from a desired-state file, or made from pipeline input.
    /// </summary>
    public sealed class DesiredIdp
    {
        public DesiredIdp(string name, string origin)
        {
            Name = name;
            Origin = origin;
        }

        /// <summary>Config file: the provider id unless provider_id says otherwise. Juju: the integrator application.</summary>
        public string Name { get; }

        /// <summary>Where it was read, for messages ("desired.yml, line 12, column 3", "pipeline input 2").</summary>
        public string Origin { get; }

        /// <summary>The settings it mentions (the same type Add and Set take); secrets once they are resolved.</summary>
        public IdpSettings Settings { get; } = new IdpSettings();

        /// <summary>The secrets it names: desired-state setting (client_secret) → secret name (google).</summary>
        public IDictionary<string, string> SecretNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Why a named secret has no value (setting → reason), when it could not be resolved.</summary>
        public IDictionary<string, string> SecretProblems { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>
        /// Kratos keys without a parameter (auth_url, requested_claims, ...) → value: string, bool,
        /// IList&lt;object&gt; or IDictionary&lt;string, object&gt; (null inside a mapping).
        /// </summary>
        public IDictionary<string, object> Extras { get; } = new Dictionary<string, object>(StringComparer.Ordinal);

        /// <summary>
        /// Set when the IdP came from a KratosIdp object of another target: its secrets (and keys
        /// without a parameter) are read from there inside the core, never through the pipeline.
        /// </summary>
        public KratosIdp From { get; set; }

        /// <summary>The provider id this IdP has on any target: provider_id, else its name.</summary>
        public string ProviderId => string.IsNullOrEmpty(Settings.ProviderId) ? Name : Settings.ProviderId;

        public override string ToString() => Name ?? "";
    }
}
