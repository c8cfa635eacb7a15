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
            var cli = Cli();
            var status = ReadStatus(cli, o, host);
            if (!status.Apps.ContainsKey(_kratos)) throw KratosMissing(status.Apps.Keys);
            var integrators = status.Apps.Values.Where(a => a.Charm == IntegratorCharm).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            var bundle = integrators.Count == 0 ? new Bundle() : ReadBundle(cli, o, host);
            var list = new List<TargetIdp>();
            foreach (var a in integrators)
            {
                var charmOptions = bundle.Apps.TryGetValue(a.Name, out var ba) ? ba.Options : new Dictionary<string, string>();
                var related = a.RelatedTo(Endpoint, _kratos);
                var idp = ToIdp(a.Name, charmOptions, related);
                idp.Status = a.Status;
                idp.StatusMessage = a.Message;
                list.Add(new TargetIdp(idp, KratosView(charmOptions), related));
            }
            var snapshot = new TargetSnapshot(TargetType, Description, list)
            {
                NameFor = AppNameFor,
                KratosVersion = request.KratosVersion,
                KratosVersionSource = "-KratosVersion",
            };
            var plans = Planner.Plan(request, snapshot);
            var result = new SyncResult(snapshot, plans);
            var todo = new List<IdpPlan>();
            foreach (var p in plans)
            {
                if (p.Error != null || p.Action == PlanAction.None) continue;
                try
                {
                    Check(p, status, list, snapshot);
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
            if (d.Name != null && AppNamePattern.IsMatch(d.Name)) return d.Name;
            if (!ProviderCatalog.TryGet(d.Settings.Provider, out var kind)) kind = ProviderCatalog.Resolve("generic");
            return DeriveName(kind, d.Name);
        }

        /// <summary>The integrator's options by Kratos key (scope as a list, the mapper as base64://), secrets included.</summary>
        private static Dictionary<string, object> KratosView(IDictionary<string, string> options)
        {
            var view = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var kv in OptionOf)
            {
                var v = OptionValue(options, kv.Value);
                if (v == null) continue;
                if (kv.Key == Fields.Scope) view[kv.Key] = SplitScope(v);
                else if (kv.Key == Fields.MapperUrl) view[kv.Key] = DefaultMapper.ToMapperUrl(v);
                else view[kv.Key] = v;
            }
            return view;
        }

        /// <summary>The checks of Add and Set that need no juju, for one planned IdP; throws what they would.</summary>
        private void Check(IdpPlan p, ModelStatus status, List<TargetIdp> all, TargetSnapshot snapshot)
        {
            if (p.Action == PlanAction.Remove) return;
            if (p.Extras.Count > 0)
                throw new ExternalIdpException(ErrorIds.ParameterNotSupported, ErrorKind.InvalidArgument,
                    $"{string.Join(", ", p.Extras.Keys.Select(k => "'" + k + "'"))} can't be set on Juju: the {IntegratorCharm} charm has no option for {(p.Extras.Count == 1 ? "it" : "them")}. Leave {(p.Extras.Count == 1 ? "it" : "them")} out of the desired IdP, or keep this IdP in a Kratos config file (-ConfigPath).", p.Name);
            var s = p.Settings;
            RefuseUnsupported(s);
            if (p.Action == PlanAction.Add)
            {
                var kind = ProviderCatalog.Resolve(s.Provider);
                RequireCharmKind(kind);
                IdpRules.ValidateValues(s);
                var jsonnet = MapperSource(s);
                IdpRules.RequireComplete(kind, IdpRules.BuildEntry(kind, s.ProviderId, s, applyDefaults: false), p.Name);
                CheckUnsafe(ToOptions(kind, s, jsonnet));
                ValidateAppName(p.Name);
                if (status.Apps.TryGetValue(p.Name, out var app) && app.Charm != IntegratorCharm)
                    throw new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists,
                        $"'{p.Name}' already exists in {Description}: it is an application of charm '{app.Charm}'. Give the desired IdP another name.", p.Name);
                var clash = all.FirstOrDefault(t => t.Live && string.Equals(t.Idp.ProviderId, s.ProviderId, StringComparison.Ordinal) && t.Idp.Name != p.Name);
                if (clash != null)
                    throw new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists,
                        $"Provider id '{s.ProviderId}' is already used by '{clash.Idp.Name}', which is related to {_kratos}: Kratos would use only the first of two providers with one id. Give the desired IdP the name '{clash.Idp.Name}' (or its provider id), or another provider_id.", p.Name);
                VersionCheck.Require(snapshot.KratosVersion, snapshot.KratosVersionSource, kind.Name, VersionCheck.Keys(s, null), Description, p.Name);
                return;
            }
            // Change: the result must be complete for its kind, and what is sent must read back as text.
            IdpRules.ValidateValues(s, allowEmptyProviderId: true);
            var existing = p.Actual.Settings.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var currentProvider = p.Actual.Idp.Provider ?? "generic";
            ProviderCatalog.TryGetExact(currentProvider, out var oldKind);
            ProviderKind newKind = null;
            if (s.Provider != null)
            {
                newKind = ProviderCatalog.Resolve(s.Provider);
                RequireCharmKind(newKind);
            }
            if (oldKind == null && newKind == null)
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                    $"'{p.Name}' is configured with provider '{currentProvider}', which Kratos does not accept: give 'provider' with one of {ProviderCatalog.CharmKindList} in the desired IdP.", p.Name);
            oldKind = oldKind ?? newKind;
            newKind = newKind ?? oldKind;
            var changeJsonnet = MapperSource(s);
            existing[Fields.Provider] = oldKind.Name;
            var delta = IdpRules.Changes(existing, oldKind, newKind, s, out _);
            IdpRules.RequireComplete(newKind, IdpRules.Apply(existing, delta), p.Name);
            CheckUnsafe(ToOptions(newKind, s, changeJsonnet).Where(kv => kv.Key != "provider" || s.Provider != null));
            VersionCheck.Require(snapshot.KratosVersion, snapshot.KratosVersionSource, s.Provider != null ? newKind.Name : null, VersionCheck.Keys(s, null), Description, p.Name);
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
