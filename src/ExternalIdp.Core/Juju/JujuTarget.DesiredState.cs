using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ExternalIdp.Core.DesiredState;

namespace ExternalIdp.Core.Juju
{
    /// <summary>
    /// Desired state on a Juju model: the integrators are read with the two juju calls of GetIdps
    /// (status, export-bundle), so a Sync with nothing to do costs no more. Every planned IdP is
    /// checked with the rules of Add and Set that need no juju before anything changes; the changes
    /// are then made one IdP at a time by Remove, Set and Add (each asked once, by Sync).
    /// </summary>
    public sealed partial class JujuTarget
    {
        public SyncResult SyncDesired(SyncRequest request, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            if (request == null) throw new ArgumentNullException(nameof(request));
            var o = options ?? new OperationOptions();
            var juju = Juju(host, o);
            var status = juju.Status();
            if (!status.Apps.ContainsKey(_kratos)) throw JujuMessages.KratosMissing(_kratos, Description, status.Apps.Keys);
            var integrators = status.Apps.Values.Where(a => a.Charm == IntegratorCharm).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            var bundle = integrators.Count == 0 ? new Bundle() : juju.Bundle();
            var list = new List<TargetIdp>();
            foreach (var a in integrators)
            {
                var charmOptions = bundle.Apps.TryGetValue(a.Name, out var ba) ? ba.Options : new Dictionary<string, string>();
                var related = a.RelatedTo(Endpoint, _kratos);
                var idp = ToIdp(a.Name, charmOptions, related);
                idp.Status = a.Status;
                idp.StatusMessage = a.Message;
                list.Add(new TargetIdp(idp, _charm.EntryOf(charmOptions), related));
            }
            var snapshot = new TargetSnapshot(TargetType, Description, list)
            {
                NameFor = AppNameFor,
                Release = ReleaseOf(status.Apps[_kratos], new OperationOptions { KratosVersion = request.KratosVersion }),
            };
            var plans = Planner.Plan(request, snapshot);
            var result = new SyncResult(snapshot, plans);
            var todo = new List<IdpPlan>();
            foreach (var p in plans)
            {
                if (p.Error != null || p.Action == PlanAction.None) continue;
                try
                {
                    Check(p, status, bundle, list, snapshot);
                    todo.Add(p);
                }
                catch (ExternalIdpException e)
                {
                    p.Error = p.Desired != null ? Planner.ForIdp(p.Desired, e)
                        : new ExternalIdpException(e.ErrorId, e.Kind, $"IdP '{p.Name}': {e.Message}", p.Name, e);
                }
            }
            if (request.DryRun) return result;
            host.WriteVerbose($"{Description}: {todo.Count(p => p.Action == PlanAction.Add)} to add, {todo.Count(p => p.Action == PlanAction.Change)} to change, {todo.Count(p => p.Action == PlanAction.Remove)} to remove, {plans.Count(p => p.Action == PlanAction.None && p.Error == null)} as desired, {plans.Count(p => p.Error != null)} refused.");

            // Removals first (they may free a provider id), then changes, then additions.
            var ordered = todo.OrderBy(p => p.Action == PlanAction.Remove ? 0 : p.Action == PlanAction.Change ? 1 : 2).ToList();
            var approved = ordered.Where(p => host.ShouldProcess($"IdP '{p.Name}' in {Description}", p.Description)).ToList();
            var agreed = new Agreed(host);
            foreach (var p in approved)
            {
                host.Cancellation.ThrowIfCancellationRequested();
                try
                {
                    switch (p.Action)
                    {
                        case PlanAction.Remove:
                            p.Applied = Remove(p.Name, new OperationOptions { RemoveApplication = request.RemoveApplication, TimeoutSec = o.TimeoutSec }, agreed);
                            break;
                        case PlanAction.Change:
                            p.Result = Set(p.Name, p.Settings, o, agreed);
                            p.Applied = p.Result != null;
                            break;
                        case PlanAction.Add:
                            p.Result = Add(p.Name, p.Settings, o, agreed);
                            p.Applied = p.Result != null;
                            break;
                    }
                }
                catch (ExternalIdpException e)
                {
                    p.Error = p.Desired != null ? Planner.ForIdp(p.Desired, e) : new ExternalIdpException(e.ErrorId, e.Kind, $"IdP '{p.Name}': {e.Message}", p.Name, e);
                }
            }
            if (request.WantResults)
                foreach (var p in plans)
                    if (p.Desired != null && p.Result == null && p.Actual != null && p.Error == null) p.Result = p.Actual.Idp;
            return result;
        }

        /// <summary>The application a desired IdP gets: its name when Juju takes it, else one derived from it (google_oauth → google-oauth-idp).</summary>
        private static string AppNameFor(DesiredIdp d)
        {
            if (d.Name != null && CharmRules.IsValidAppName(d.Name)) return d.Name;
            if (!ProviderCatalog.TryGet(d.Settings.Provider, out var kind)) kind = ProviderCatalog.Resolve("generic");
            return CharmRules.DeriveName(kind, d.Name);
        }

        /// <summary>The checks of Add and Set that need no juju, for one planned IdP (the same IdpRequest and charm rules); throws what they would.</summary>
        private void Check(IdpPlan p, ModelStatus status, Bundle bundle, List<TargetIdp> all, TargetSnapshot snapshot)
        {
            if (p.Action == PlanAction.Remove) return;
            if (p.Extras.Count > 0)
                throw new ExternalIdpException(ErrorIds.ParameterNotSupported, ErrorKind.InvalidArgument,
                    $"{string.Join(", ", p.Extras.Keys.Select(k => "'" + k + "'"))} can't be set on Juju: the {IntegratorCharm} charm has no option for {(p.Extras.Count == 1 ? "it" : "them")}. Leave {(p.Extras.Count == 1 ? "it" : "them")} out of the desired IdP, or keep this IdP in a Kratos config file (-ConfigPath).", p.Name);
            var s = p.Settings;
            if (p.Action == PlanAction.Add)
            {
                var request = IdpRequest.ForAdd(s, _charm, p.Name);
                CharmRules.ValidateAppName(p.Name);
                if (status.Apps.TryGetValue(p.Name, out var app) && app.Charm != IntegratorCharm)
                    throw new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists,
                        $"'{p.Name}' already exists in {Description}: it is an application of charm '{app.Charm}'. Give the desired IdP another name.", p.Name);
                var clash = all.FirstOrDefault(t => t.Live && string.Equals(t.Idp.ProviderId, s.ProviderId, StringComparison.Ordinal) && t.Idp.Name != p.Name);
                if (clash != null)
                    throw new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists,
                        $"Provider id '{s.ProviderId}' is already used by '{clash.Idp.Name}', which is related to {_kratos}: Kratos would use only the first of two providers with one id. Give the desired IdP the name '{clash.Idp.Name}' (or its provider id), or another provider_id.", p.Name);
                VersionCheck.Require(snapshot.Release, request.Kind.Name, VersionCheck.Keys(request), Description, p.Name);
                return;
            }
            // Change: the options Set would send, planned as Set plans them (the result complete for its kind, values that read back as text).
            var changes = IdpRequest.ForSet(s, _charm);
            var options = bundle.Apps.TryGetValue(p.Name, out var current) ? current.Options : new Dictionary<string, string>();
            var currentProvider = CharmRules.ProviderOf(options);
            if (changes.Kind == null && !ProviderCatalog.TryGetExact(currentProvider, out _))
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                    $"'{p.Name}' is configured with provider '{currentProvider}', which Kratos does not accept: give 'provider' with one of {ProviderCatalog.CharmKindList} in the desired IdP.", p.Name);
            var plan = _charm.PlanSet(p.Name, options, changes);
            VersionCheck.Require(snapshot.Release, changes.Kind != null ? plan.NewKind.Name : null, VersionCheck.Keys(changes), Description, p.Name);
        }

        /// <summary>Passes everything on to the cmdlet's host, and agrees to what Sync has already asked about.</summary>
        private sealed class Agreed : ICoreHost
        {
            private readonly ICoreHost _host;
            public Agreed(ICoreHost host) { _host = host; }
            public void WriteVerbose(string message) => _host.WriteVerbose(message);
            public void WriteDebug(string message) => _host.WriteDebug(message);
            public void WriteWarning(string message) => _host.WriteWarning(message);
            public void WriteProgress(string activity, string status, int percent, bool completed) => _host.WriteProgress(activity, status, percent, completed);
            public bool ShouldProcess(string target, string action) => true;
            public CancellationToken Cancellation => _host.Cancellation;
        }
    }
}
