using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.DesiredState
{
    /// <summary>Desired IdPs made from what a target holds: for Export, and from KratosIdp objects piped to Compare and Sync.</summary>
    public static class DesiredFrom
    {
        /// <summary>
        /// The settings a KratosIdp shows, as a desired IdP (secrets not included: a KratosIdp holds
        /// none). The provider id is always set, so the IdP keeps it on any target; a label or scope
        /// it lacks is given as empty, so that no default fills it in where it goes. Other settings it
        /// lacks are left out (not compared).
        /// </summary>
        public static DesiredIdp Idp(KratosIdp idp, string origin)
        {
            var d = new DesiredIdp(idp.Name ?? idp.ProviderId, origin);
            foreach (var s in DesiredSettings.All)
            {
                if (s.Shape == DesiredShape.Secret || s.IsAlternative) continue;
                var v = s.Actual(idp);
                if (v is string text && text.Length > 0) s.Set(d.Settings, text);
                else if (v is string[] list && list.Length > 0) s.Set(d.Settings, list.ToArray());
            }
            if (string.IsNullOrEmpty(d.Settings.ProviderId)) d.Settings.ProviderId = idp.ProviderId;
            // Add gives a new entry a default label and scope: an IdP without them stays without. (A
            // mapper is not optional in Kratos: one without, an integrator that leaves it to the charm,
            // gets the default where it goes.)
            if (d.Settings.Label == null) d.Settings.Label = "";
            if (d.Settings.Scope == null) d.Settings.Scope = new string[0];
            return d;
        }

        /// <summary>
        /// What Export-KratosIdp writes for an IdP of a target: its settings, its secrets by name (the
        /// IdP's name, unless secretName gives another), and its keys without a parameter as they are.
        /// </summary>
        public static DesiredIdp Export(TargetIdp t, Func<string, string> secretName = null)
        {
            var d = Idp(t.Idp, null);
            var name = secretName?.Invoke(d.Name) ?? d.Name;
            if (t.Idp.HasClientSecret) d.SecretNames[DesiredSettings.Of(FieldTable.ClientSecret).Name] = name;
            if (t.Idp.HasApplePrivateKey) d.SecretNames[DesiredSettings.Of(FieldTable.ApplePrivateKey).Name] = t.Idp.HasClientSecret ? name + "-apple-private-key" : name;
            foreach (var key in DesiredSettings.ExtraKeys.OrderBy(k => k, StringComparer.Ordinal))
            {
                var v = t.Extra(key);
                if (v != null) d.Extras[key] = v;
            }
            return d;
        }
    }

    /// <summary>
    /// Secrets that travel with KratosIdp objects from one target to another. The objects hold no
    /// secret: each source target (a config file, a Juju model) is read again here, once per
    /// source and invocation, and the secrets go straight into the desired IdPs' settings inside
    /// the core. Nothing is kept after the invocation.
    /// </summary>
    public static class Carried
    {
        /// <summary>
        /// Fills in the secrets (and keys without a parameter) of the desired IdPs made from
        /// KratosIdp objects (DesiredIdp.From). open gives the source target of an object; fail is
        /// told about an IdP whose source can't give them (it is then left out).
        /// </summary>
        public static List<DesiredIdp> Fill(IReadOnlyList<DesiredIdp> desired, Func<KratosIdp, IIdpTarget> open,
            OperationOptions options, ICoreHost host, Action<DesiredIdp, ExternalIdpException> fail)
        {
            var kept = new List<DesiredIdp>();
            var bySource = new Dictionary<string, List<DesiredIdp>>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var d in desired)
            {
                if (d.From == null) continue;
                var key = string.Join("|", d.From.TargetType, d.From.ConfigPath, d.From.ConfigRoot, d.From.Model, d.From.KratosApplication);
                if (!bySource.TryGetValue(key, out var list)) { bySource[key] = list = new List<DesiredIdp>(); order.Add(key); }
                list.Add(d);
            }
            var failed = new HashSet<DesiredIdp>();
            foreach (var key in order)
            {
                var group = bySource[key];
                if (!group.Any(NeedsSource)) continue;
                TargetSnapshot snapshot;
                IIdpTarget source;
                try
                {
                    source = open(group[0].From);
                    host.WriteVerbose($"Reading the secrets of {group.Count} IdP{(group.Count == 1 ? "" : "s")} from their source, {source.Description}.");
                    snapshot = source.SyncDesired(new SyncRequest { DryRun = true }, options, host).Snapshot;
                }
                catch (ExternalIdpException e)
                {
                    foreach (var d in group)
                    {
                        failed.Add(d);
                        fail(d, new ExternalIdpException(e.ErrorId, e.Kind,
                            $"The secrets of '{d.Name}' can't be read from its source: {e.Message}", d.Name, e));
                    }
                    continue;
                }
                var byName = new Dictionary<string, TargetIdp>(StringComparer.Ordinal);
                foreach (var t in snapshot.Idps) if (t.Idp.Name != null && !byName.ContainsKey(t.Idp.Name)) byName[t.Idp.Name] = t;
                foreach (var d in group)
                {
                    if (!byName.TryGetValue(d.From.Name ?? "", out var t))
                    {
                        failed.Add(d);
                        fail(d, new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.ObjectNotFound,
                            $"'{d.Name}' is no longer in its source, {source.Description}, so its secrets can't be carried over. Get the IdPs again (Get-KratosIdp) and pipe those.", d.Name));
                        continue;
                    }
                    Take(d, t, FieldTable.ClientSecret, d.From.HasClientSecret);
                    Take(d, t, FieldTable.ApplePrivateKey, d.From.HasApplePrivateKey);
                    foreach (var k in DesiredSettings.ExtraKeys)
                    {
                        if (d.Extras.ContainsKey(k)) continue;
                        var v = t.Extra(k);
                        if (v != null) d.Extras[k] = v;
                    }
                }
            }
            foreach (var d in desired) if (!failed.Contains(d)) kept.Add(d);
            return kept;
        }

        private static bool NeedsSource(DesiredIdp d) => d.From != null;

        private static void Take(DesiredIdp d, TargetIdp t, Field secret, bool has)
        {
            if (!has) return;
            var v = t.Secret(secret);
            if (!string.IsNullOrEmpty(v)) d.Settings[secret] = SettingValue.Of(SecretValue.FromPlainText(v));
        }
    }
}
