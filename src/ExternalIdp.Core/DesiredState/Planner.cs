using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.DesiredState
{
    /// <summary>
    /// Compares a desired state with what a target holds and plans the smallest change: an Add for
    /// an IdP the target lacks, a Set of just the settings that differ, a Remove only with Prune.
    /// Settings the desired state doesn't mention are never compared nor changed. A secret is
    /// compared only when the desired state names one and both values are known; it shows only as
    /// differing. Target-neutral: each target then checks the plan with its own rules and applies it.
    /// </summary>
    public static class Planner
    {
        public static List<IdpPlan> Plan(SyncRequest request, TargetSnapshot snapshot)
        {
            var plans = new List<IdpPlan>();
            var live = snapshot.Idps.Where(i => i.Live).ToList();
            var byName = new Dictionary<string, TargetIdp>(StringComparer.Ordinal);
            foreach (var i in live)
                if (i.Idp.Name != null && !byName.ContainsKey(i.Idp.Name)) byName[i.Idp.Name] = i;
            var matched = new HashSet<TargetIdp>();
            var names = new Dictionary<string, DesiredIdp>(StringComparer.Ordinal);
            var ids = new Dictionary<string, DesiredIdp>(StringComparer.Ordinal);

            foreach (var d in request.Desired)
            {
                var plan = new IdpPlan { Desired = d, Name = d.Name, ProviderId = d.ProviderId, Action = PlanAction.None };
                plans.Add(plan);
                try
                {
                    var id = d.ProviderId;
                    var name = snapshot.NamesAreProviderIds ? id : (snapshot.NameFor?.Invoke(d) ?? d.Name);
                    plan.Name = name;
                    if (names.TryGetValue(name, out var sameName) || ids.TryGetValue(id, out sameName))
                        throw new ExternalIdpException(ErrorIds.DesiredStateInvalid, ErrorKind.InvalidArgument,
                            $"It is the IdP '{name}' (provider id '{id}') of {snapshot.Description}, which the desired IdP '{sameName.Name}' ({sameName.Origin}) is too: give each desired IdP its own name and provider id.", d.Name);
                    names[name] = d;
                    ids[id] = d;

                    TargetIdp actual;
                    if (!byName.TryGetValue(name, out actual) && !snapshot.NamesAreProviderIds)
                    {
                        // Juju: the related integrator that has this provider id, under whatever application name.
                        var same = live.Where(i => !matched.Contains(i) && string.Equals(i.Idp.ProviderId, id, StringComparison.Ordinal)).ToList();
                        if (same.Count == 1) actual = same[0];
                    }
                    if (actual != null && matched.Contains(actual)) actual = null;
                    if (actual == null) PlanAdd(plan, d, snapshot);
                    else
                    {
                        matched.Add(actual);
                        plan.Actual = actual;
                        plan.Name = actual.Idp.Name;
                        PlanChange(plan, d, actual, snapshot);
                    }
                }
                catch (ExternalIdpException e)
                {
                    plan.Error = ForIdp(d, e);
                    plan.Action = PlanAction.None;
                }
            }

            if (request.Prune)
            {
                foreach (var a in live)
                {
                    if (matched.Contains(a)) continue;
                    var plan = new IdpPlan { Name = a.Idp.Name, ProviderId = a.Idp.ProviderId, Actual = a, Action = PlanAction.Remove };
                    plan.Differences.Add(Difference(plan, snapshot, null, null, a.Idp.Provider));
                    plan.Description = $"Remove the {a.Idp.Provider} provider (provider id '{a.Idp.ProviderId}'): the desired state doesn't name it (-Prune)";
                    plans.Add(plan);
                }
            }
            return plans;
        }

        /// <summary>The error of one desired IdP, naming it and where it was read.</summary>
        public static ExternalIdpException ForIdp(DesiredIdp d, ExternalIdpException e)
        {
            if (d == null) return e;
            var prefix = $"Desired IdP '{IdpRules.Printable(d.Name)}' ({d.Origin}): ";
            if (e.Message.StartsWith(prefix, StringComparison.Ordinal)) return e;
            return new ExternalIdpException(e.ErrorId, e.Kind, prefix + e.Message, d.Name, e) { RecommendedAction = e.RecommendedAction };
        }

        private static KratosIdpDifference Difference(IdpPlan plan, TargetSnapshot snapshot, string property, object desired, object actual)
            => new KratosIdpDifference
            {
                Name = plan.Name,
                Action = plan.Action.ToString(),
                Property = property,
                Desired = desired,
                Actual = actual,
                ProviderId = plan.ProviderId,
                TargetType = snapshot.TargetType,
            };

        // ------------------------------------------------------------------ Add

        private static void PlanAdd(IdpPlan plan, DesiredIdp d, TargetSnapshot snapshot)
        {
            var s = d.Settings;
            if (string.IsNullOrEmpty(s.Provider))
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                    $"{snapshot.Description} has no IdP '{plan.Name}', and the desired state can't add it without 'provider' (the kind: google, microsoft, generic, ...). Add 'provider' to the desired IdP.", d.Name);
            var kind = ProviderCatalog.Resolve(s.Provider);
            if (string.IsNullOrEmpty(s.ClientId))
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                    $"{snapshot.Description} has no IdP '{plan.Name}', and the desired state can't add it without 'client_id' (the OAuth2 client id the identity provider issued). Add 'client_id' to the desired IdP.", d.Name);
            foreach (var setting in DesiredSettings.All.Where(x => x.Shape == DesiredShape.Secret))
                if (d.SecretNames.ContainsKey(setting.Name) && setting.Get(s) == null)
                    throw MissingSecret(d, setting, $"to add the IdP '{plan.Name}'");

            var settings = Copy(s);
            settings.ProviderId = d.ProviderId;
            plan.Settings = settings;
            foreach (var kv in d.Extras) plan.Extras[kv.Key] = kv.Value;
            plan.Action = PlanAction.Add;
            plan.Differences.Add(Difference(plan, snapshot, null, kind.Name, null));
            plan.Description = $"Add the {kind.Name} provider (provider id '{d.ProviderId}', client id '{IdpRules.Printable(s.ClientId)}')";
        }

        private static ExternalIdpException MissingSecret(DesiredIdp d, DesiredSetting setting, string why)
        {
            d.SecretNames.TryGetValue(setting.Name, out var secretName);
            d.SecretProblems.TryGetValue(setting.Name, out var problem);
            var fix = problem ?? $"give it with -Secret @{{ '{secretName}' = <SecureString or PSCredential> }}, or -Vault <SecretManagement vault> holding a secret named '{secretName}'";
            return new ExternalIdpException(ErrorIds.SecretNotFound, ErrorKind.ObjectNotFound,
                $"The secret '{secretName}' ({setting.Name}) is needed {why}, but it was not given: {fix}. Nothing was done to this IdP.", d.Name);
        }

        private static IdpSettings Copy(IdpSettings s)
        {
            var c = new IdpSettings();
            foreach (var setting in DesiredSettings.All)
            {
                var v = setting.Get(s);
                if (v != null) setting.Set(c, v);
            }
            return c;
        }

        // ------------------------------------------------------------------ Change

        private static void PlanChange(IdpPlan plan, DesiredIdp d, TargetIdp actual, TargetSnapshot snapshot)
        {
            var s = d.Settings;
            var a = actual.Idp;
            var changes = new IdpSettings();
            var parts = new List<string>();
            plan.Action = PlanAction.Change;

            foreach (var setting in DesiredSettings.All)
            {
                if (setting.Shape == DesiredShape.Secret)
                {
                    ChangeSecret(plan, d, actual, setting, changes, parts, snapshot);
                    continue;
                }
                var want = setting.Get(s);
                if (want == null) continue;
                var have = setting.Actual(a);
                bool same;
                if (setting.IsAlternative)
                    same = SameMapper(((string)want).Length == 0 ? "" : DefaultMapper.ToMapperUrl((string)want), have as string);
                else if (setting.Field == FieldTable.Provider)
                {
                    same = string.Equals(ProviderCatalog.Resolve((string)want).Name, have as string, StringComparison.Ordinal);
                    if (!same) want = ProviderCatalog.Resolve((string)want).Name;
                }
                else if (setting.Field == FieldTable.Id)
                    // Config file: matched by provider id, so it is the same; Juju: matched by name or id.
                    same = string.Equals((string)want, have as string, StringComparison.Ordinal);
                else if (setting.Field == FieldTable.MapperUrl)
                    same = SameMapper((string)want, have as string);
                else
                    same = setting.Shape == DesiredShape.List ? SameList((string[])want, have as string[]) : SameText((string)want, have as string);
                if (same) continue;
                setting.Set(changes, want);
                var shownWant = setting.IsAlternative ? (object)(((string)want).Length == 0 ? "" : DefaultMapper.ToMapperUrl((string)want)) : want;
                plan.Differences.Add(Difference(plan, snapshot, setting.Name, shownWant, have));
                parts.Add($"{setting.Name}: {Show(have)} -> {Show(shownWant)}");
            }

            foreach (var kv in d.Extras)
            {
                var have = actual.Extra(kv.Key);
                if (SameValue(kv.Value, have)) continue;
                plan.Extras[kv.Key] = kv.Value;
                plan.Differences.Add(Difference(plan, snapshot, kv.Key, kv.Value, have));
                parts.Add($"{kv.Key}: {Show(have)} -> {Show(kv.Value)}");
            }

            if (plan.Differences.Count == 0)
            {
                plan.Action = PlanAction.None;
                return;
            }
            plan.Settings = changes;
            plan.Description = "Change " + string.Join("; ", parts);
        }

        private static void ChangeSecret(IdpPlan plan, DesiredIdp d, TargetIdp actual, DesiredSetting setting, IdpSettings changes, List<string> parts, TargetSnapshot snapshot)
        {
            if (!d.SecretNames.TryGetValue(setting.Name, out var secretName))
            {
                // A secret given without a name (a SecureString in a hashtable, one carried from another target).
                if (setting.Get(d.Settings) == null) return;
                secretName = d.From != null ? "carried from its source" : "given";
            }
            var want = setting.Get(d.Settings) as SecretValue;
            var has = (bool)setting.Actual(actual.Idp);
            var shown = $"(secret '{secretName}')";
            if (want == null)
            {
                // Not given: only a missing one is known to differ, and it can't be set without its value.
                if (has) return;
                plan.Differences.Add(Difference(plan, snapshot, setting.Name, shown, "(none)"));
                throw MissingSecret(d, setting, $"because {snapshot.Description} holds no {setting.Name} for '{plan.Name}'");
            }
            var current = actual.Secret(setting.Field);
            if (!string.IsNullOrEmpty(current) && string.Equals(current, want.Reveal(), StringComparison.Ordinal)) return;
            if (string.IsNullOrEmpty(current) && !has && want.IsEmpty) return;
            setting.Set(changes, want);
            var actualShown = string.IsNullOrEmpty(current) ? (has ? "(not readable)" : "(none)") : "(differs)";
            plan.Differences.Add(Difference(plan, snapshot, setting.Name, shown, actualShown));
            parts.Add($"{setting.Name} (secret '{secretName}')");
        }

        // ------------------------------------------------------------------ comparing

        internal static bool SameText(string want, string have) => string.Equals(want ?? "", have ?? "", StringComparison.Ordinal);

        internal static bool SameList(string[] want, string[] have)
        {
            want = want ?? new string[0];
            have = have ?? new string[0];
            return want.SequenceEqual(have, StringComparer.Ordinal);
        }

        /// <summary>Mappers are the same when their URLs are, or when both are base64:// of the same jsonnet (line breaks aside).</summary>
        internal static bool SameMapper(string want, string have)
        {
            if (SameText(want, have)) return true;
            var a = DefaultMapper.TryDecode(want);
            var b = DefaultMapper.TryDecode(have);
            return a != null && b != null && string.Equals(a.Replace("\r\n", "\n"), b.Replace("\r\n", "\n"), StringComparison.Ordinal);
        }

        /// <summary>Values of keys without a parameter: texts, booleans, lists and mappings, compared deeply.</summary>
        internal static bool SameValue(object a, object b)
        {
            if (a == null || b == null) return a == null && b == null;
            if (a is string sa) return b is string sb && string.Equals(sa, sb, StringComparison.Ordinal);
            if (a is bool ba) return b is bool bb && ba == bb;
            if (a is IDictionary<string, object> da)
            {
                if (!(b is IDictionary<string, object> db) || da.Count != db.Count) return false;
                foreach (var kv in da)
                    if (!db.TryGetValue(kv.Key, out var bv) || !SameValue(kv.Value, bv)) return false;
                return true;
            }
            if (a is IEnumerable ea && b is IEnumerable eb && !(b is string))
            {
                var la = ea.Cast<object>().ToList();
                var lb = eb.Cast<object>().ToList();
                if (la.Count != lb.Count) return false;
                for (int i = 0; i < la.Count; i++) if (!SameValue(la[i], lb[i])) return false;
                return true;
            }
            return Equals(a, b);
        }

        /// <summary>A value for a ShouldProcess text or a message (never a secret: callers don't pass one).</summary>
        internal static string Show(object v)
        {
            switch (v)
            {
                case null: return "(none)";
                case string s: return s.Length == 0 ? "(none)" : "'" + IdpRules.Printable(s.Length > 60 ? s.Substring(0, 57) + "..." : s) + "'";
                case bool b: return b ? "true" : "false";
                case IDictionary<string, object> d: return "{" + string.Join(", ", d.Select(kv => kv.Key + ": " + Show(kv.Value))) + "}";
                case IEnumerable e: return "[" + string.Join(", ", e.Cast<object>().Select(x => x as string ?? Show(x))) + "]";
                default: return IdpRules.Printable(v.ToString());
            }
        }
    }
}
