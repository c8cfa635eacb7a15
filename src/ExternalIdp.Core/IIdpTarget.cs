using System.Collections.Generic;

namespace ExternalIdp.Core
{
    /// <summary>
    /// Where IdPs live: a Kratos config file, or a Juju model. Cmdlets hold an IIdpTarget and
    /// never ask which kind it is. Every method validates before it changes anything, asks
    /// host.ShouldProcess once per item right before the change (returning null / doing
    /// nothing when declined), and throws ExternalIdpException on failure.
    /// </summary>
    public interface IIdpTarget
    {
        /// <summary>"ConfigFile" or "Juju".</summary>
        string TargetType { get; }

        /// <summary>Human text naming the target for messages, e.g. "/etc/kratos/kratos.yml" or "model iam (kratos)".</summary>
        string Description { get; }

        /// <summary>Copies this target's identity (ConfigPath/Model, ...) onto an output object.</summary>
        void Stamp(KratosIdp idp);

        /// <summary>Whether this target can hold this provider kind; reason says why not (the rule Add and Set check with).</summary>
        bool SupportsProvider(ProviderKind kind, out string reason);

        /// <summary>Names of the settings parameters this target has no place for (e.g. Pkce on Juju; the rule Add and Set check with).</summary>
        IReadOnlyCollection<string> UnsupportedParameters { get; }

        /// <summary>options: only TimeoutSec applies (Juju: each juju command).</summary>
        IReadOnlyList<KratosIdp> GetIdps(ICoreHost host, OperationOptions options = null);

        /// <summary>
        /// For Test-KratosIdp: the IdPs as GetIdps reads them, each with the settings Kratos will get
        /// (secrets stay inside the core), and what the target records about Kratos (version, identity
        /// schema). Reads what GetIdps reads, nothing more, and changes nothing.
        /// </summary>
        Checks.CheckInput ReadForChecks(ICoreHost host, OperationOptions options = null);

        /// <summary>name: config file = provider id (may be null: then settings.ProviderId or the generated id); Juju = application name (may be null: derived).</summary>
        KratosIdp Add(string name, IdpSettings settings, OperationOptions options, ICoreHost host);

        KratosIdp Set(string name, IdpSettings changes, OperationOptions options, ICoreHost host);

        KratosIdp SetEnabled(string name, bool enabled, OperationOptions options, ICoreHost host);

        /// <summary>Whether the IdP was removed: false when ShouldProcess declined, or when there was nothing to remove (Juju: an integrator not related to kratos, without RemoveApplication).</summary>
        bool Remove(string name, OperationOptions options, ICoreHost host);

        KratosRedirectUri GetRedirectUri(string name, OperationOptions options, ICoreHost host);

        KratosPublicUrl GetPublicUrl(OperationOptions options, ICoreHost host);

        /// <summary>
        /// Desired state (Compare-KratosIdp, Sync-KratosIdp): reads the target once (a config file: one
        /// parse; Juju: the two juju calls of GetIdps), plans with DesiredState.Planner, checks every
        /// planned IdP with this target's rules before anything changes (a bad one gets its plan's
        /// Error, the others go on), and unless request.DryRun asks ShouldProcess once per IdP and
        /// applies what was agreed (a config file: one write, under its lock). Secrets stay inside.
        /// </summary>
        DesiredState.SyncResult SyncDesired(DesiredState.SyncRequest request, OperationOptions options, ICoreHost host);
    }
}
