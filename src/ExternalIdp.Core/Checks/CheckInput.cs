using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.Checks
{
    /// <summary>
    /// What a target holds for Test-KratosIdp, read in one go (what Get-KratosIdp reads, nothing
    /// more): its IdPs with the settings Kratos will use, and what the target records about Kratos.
    /// </summary>
    public sealed class CheckInput
    {
        public CheckInput(IReadOnlyList<CheckSubject> idps) { Idps = idps ?? throw new ArgumentNullException(nameof(idps)); }

        public IReadOnlyList<CheckSubject> Idps { get; }

        /// <summary>The Kratos version the target records (the config file's version: key), or null.</summary>
        public string KratosVersion { get; set; }
        /// <summary>Where KratosVersion comes from, for messages ("the config file's version: key").</summary>
        public string KratosVersionSource { get; set; }
        /// <summary>Why the target gives no version, when KratosVersion is null.</summary>
        public string NoKratosVersionReason { get; set; }

        /// <summary>The folder relative file:// URLs are read from (the config file's folder); null when the target has none.</summary>
        public string BaseFolder { get; set; }

        /// <summary>The URL of the identity schema Kratos uses by default, or null.</summary>
        public string IdentitySchemaUrl { get; set; }
        /// <summary>Where IdentitySchemaUrl comes from ("identity.schemas[id=default].url").</summary>
        public string IdentitySchemaSource { get; set; }
        /// <summary>Why there is no identity schema to check, when IdentitySchemaUrl is null.</summary>
        public string NoIdentitySchemaReason { get; set; }
    }

    /// <summary>One IdP to check: the object Get-KratosIdp returns, and the settings Kratos will get.</summary>
    public sealed class CheckSubject
    {
        public CheckSubject(KratosIdp idp, ProviderEntry settings, IReadOnlyList<string> problems)
        {
            Idp = idp ?? throw new ArgumentNullException(nameof(idp));
            Settings = settings ?? new ProviderEntry();
            Problems = problems ?? new string[0];
        }

        /// <summary>The IdP as Get-KratosIdp returns it (stamped with its target).</summary>
        public KratosIdp Idp { get; }

        /// <summary>
        /// The provider entry as Kratos will see it, by Kratos key, secrets included. Only the checks
        /// read it; it never leaves the core.
        /// </summary>
        internal ProviderEntry Settings { get; }

        /// <summary>What Kratos (or the charm) would reject in it: Get's Problems and what the target adds.</summary>
        public IReadOnlyList<string> Problems { get; }

        /// <summary>Blocks that stop sign-in although the entry itself is valid (an integrator not related to kratos, ...).</summary>
        public IList<string> Blockers { get; } = new List<string>();

        /// <summary>What is worth a look without stopping sign-in (disabled, the OIDC method off, ...).</summary>
        public IList<string> Notes { get; } = new List<string>();

        /// <summary>The text of a setting as Kratos reads it (a number or boolean as written), or null.</summary>
        internal string Setting(Field f) => Settings.ScalarText(f.Key);

        /// <summary>The items of a list setting, or null.</summary>
        internal string[] ListSetting(Field f) => Settings[f]?.List?.ToArray();
    }
}
