using System;
using System.Collections.Generic;
using System.Linq;
using ExternalIdp.Core.Checks;

namespace ExternalIdp.Core.Juju
{
    /// <summary>
    /// What Test-KratosIdp reads from a Juju model: the two juju calls GetIdps makes (status,
    /// export-bundle), whose options are turned into the provider entry the charm gives Kratos.
    /// Secrets stay in that entry; nothing is written to juju.
    /// </summary>
    public sealed partial class JujuTarget
    {
        public CheckInput ReadForChecks(ICoreHost host, OperationOptions operation = null)
        {
            host = host ?? SilentHost.Instance;
            var o = operation ?? new OperationOptions();
            var cli = Cli();
            var status = ReadStatus(cli, o, host);
            if (!status.Apps.TryGetValue(_kratos, out var kratos)) throw KratosMissing(status.Apps.Keys);
            var integrators = status.Apps.Values.Where(a => a.Charm == IntegratorCharm).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            var bundle = integrators.Count == 0 ? new Bundle() : ReadBundle(cli, o, host);
            var subjects = new List<CheckSubject>();
            foreach (var a in integrators)
            {
                var options = bundle.Apps.TryGetValue(a.Name, out var ba) ? ba.Options : new Dictionary<string, string>();
                var related = a.RelatedTo(Endpoint, _kratos);
                var idp = ToIdp(a.Name, options, related);
                idp.Status = a.Status;
                idp.StatusMessage = a.Message;
                var entry = EntryFor(idp, options);
                var problems = idp.Problems.ToList();
                if (ProviderCatalog.TryGetExact(idp.Provider, out var kind))
                    problems.AddRange(IdpRules.KindProblems(kind, entry));
                foreach (var kv in entry)
                    if (kv.Value is string sv && IdpRules.IsPlaceholder(sv) && !Fields.Secrets.Contains(kv.Key))
                        problems.Add($"option '{OptionOf[kv.Key]}' holds a template placeholder ('{IdpRules.Printable(sv)}') that nothing expands");
                    else if (kv.Value is string secret && IdpRules.IsPlaceholder(secret))
                        problems.Add($"option '{OptionOf[kv.Key]}' holds a template placeholder that nothing expands (value not shown)");
                var subject = new CheckSubject(idp, entry, problems);
                if (IsBlocked(kratos.Status))
                    subject.Blockers.Add($"the kratos application '{_kratos}' is {kratos.Status}: '{kratos.Message}'");
                if (!related)
                    subject.Blockers.Add($"'{a.Name}' is not related to '{_kratos}', so Kratos doesn't know it (juju integrate {a.Name}:{Endpoint} {_kratos}:{Endpoint})");
                if (IsBlocked(a.Status))
                    subject.Blockers.Add($"the integrator is {a.Status}: '{a.Message}'");
                else if (!idp.Enabled)
                    subject.Notes.Add("the integrator is disabled (enabled=false), so Kratos doesn't offer it: Enable-KratosIdp switches it on");
                else if (a.Status != null && !string.Equals(a.Status, "active", StringComparison.OrdinalIgnoreCase))
                    subject.Notes.Add($"the integrator is {a.Status}: '{a.Message}'");
                subjects.Add(subject);
            }
            return new CheckInput(subjects)
            {
                NoKratosVersionReason = $"The Juju target doesn't read the workload version of '{_kratos}' (juju status shows it in the Version column).",
                NoIdentitySchemaReason = "On Juju the identity schema is part of the kratos charm's configuration, which is not read here.",
            };
        }

        /// <summary>
        /// The provider entry the charm hands Kratos for these options: the options it passes for the
        /// kind (issuer_url only for generic and auth0, the tenant only for microsoft, the apple keys
        /// only for apple, no client secret for apple), the scope as a list, the mapper as base64://.
        /// </summary>
        private static Dictionary<string, object> EntryFor(KratosIdp idp, IDictionary<string, string> options)
        {
            var entry = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [Fields.Id] = idp.ProviderId,
                [Fields.Provider] = idp.Provider,
            };
            ProviderCatalog.TryGetExact(idp.Provider, out var kind);
            foreach (var kv in OptionOf)
            {
                if (kv.Key == Fields.Id || kv.Key == Fields.Provider) continue;
                var v = OptionValue(options, kv.Value);
                if (v == null) continue;
                if (kind != null && ProviderCatalog.KindSpecificFields.Contains(kv.Key) && !kind.Takes(kv.Key)) continue;
                if (kv.Key == Fields.IssuerUrl && idp.Provider != "generic" && idp.Provider != "auth0") continue;
                if (kv.Key == Fields.Scope) entry[kv.Key] = SplitScope(v);
                else if (kv.Key == Fields.MapperUrl) entry[kv.Key] = DefaultMapper.ToMapperUrl(v);
                else entry[kv.Key] = v;
            }
            return entry;
        }
    }
}
