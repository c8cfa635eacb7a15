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
            var juju = Juju(host ?? SilentHost.Instance, operation ?? new OperationOptions());
            var status = juju.Status();
            if (!status.Apps.TryGetValue(_kratos, out var kratos)) throw JujuMessages.KratosMissing(_kratos, Description, status.Apps.Keys);
            var integrators = status.Apps.Values.Where(a => a.Charm == IntegratorCharm).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            var release = ReleaseOf(kratos, operation);
            var bundle = integrators.Count == 0 ? new Bundle() : juju.Bundle();
            var subjects = new List<CheckSubject>();
            foreach (var a in integrators)
            {
                var options = bundle.Apps.TryGetValue(a.Name, out var ba) ? ba.Options : new Dictionary<string, string>();
                var related = a.RelatedTo(Endpoint, _kratos);
                var idp = ToIdp(a.Name, options, related);
                idp.Status = a.Status;
                idp.StatusMessage = a.Message;
                var entry = _charm.EntryForKratos(options, idp.ProviderId, idp.Provider);
                var problems = idp.Problems.ToList();
                if (ProviderCatalog.TryGetExact(idp.Provider, out var kind))
                    problems.AddRange(IdpProblems.OfKind(kind, entry));
                problems.AddRange(IdpProblems.CharmPlaceholders(entry, _charm.Fields));
                // What the release rejects is the KratosVersion check's to report; the object says it too.
                CheckedAgainst(idp, release, options);
                var subject = new CheckSubject(idp, entry, problems);
                if (CharmRules.IsBlocked(kratos.Status))
                    subject.Blockers.Add($"the kratos application '{_kratos}' is {kratos.Status}: '{kratos.Message}'");
                if (!related)
                    subject.Blockers.Add(JujuMessages.NotRelatedBlocker(a.Name, _kratos));
                if (CharmRules.IsBlocked(a.Status))
                    subject.Blockers.Add($"the integrator is {a.Status}: '{a.Message}'");
                else if (!idp.Enabled)
                    subject.Notes.Add(JujuMessages.DisabledNote);
                else if (a.Status != null && !string.Equals(a.Status, "active", StringComparison.OrdinalIgnoreCase))
                    subject.Notes.Add($"the integrator is {a.Status}: '{a.Message}'");
                subjects.Add(subject);
            }
            return new CheckInput(subjects)
            {
                KratosVersion = kratos.Version,
                KratosVersionSource = JujuMessages.VersionSource(_kratos),
                NoKratosVersionReason = JujuMessages.NoVersion(_kratos) + ".",
                NoIdentitySchemaReason = JujuMessages.NoIdentitySchema,
            };
        }
    }
}
