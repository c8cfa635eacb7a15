using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core
{
    /// <summary>
    /// The one place that says what is wrong with an IdP: the kind's required and refused settings
    /// (worded by parameter, for what a user gives), what Kratos's schema rejects in an entry of a
    /// config file (worded by key), and what the kratos charm would pass Kratos wrongly. Targets and
    /// Test-KratosIdp take their Problems from here.
    /// </summary>
    public static class IdpProblems
    {
        private static readonly Field[] AppleKeys = { FieldTable.AppleTeamId, FieldTable.ApplePrivateKeyId, FieldTable.ApplePrivateKey };

        /// <summary>
        /// Which kind-specific settings an entry of this kind lacks or must not have, named by
        /// parameter with the fix. Empty when the entry is complete.
        /// </summary>
        public static List<string> OfKind(ProviderKind kind, ProviderEntry entry)
        {
            var problems = new List<string>();
            foreach (var f in kind.RequiredFields)
                if (!entry.Has(f.Key)) problems.Add(RuleMessages.KindRequires(kind, f));
            foreach (var f in ProviderCatalog.KindSpecificFields)
            {
                if (kind.Takes(f) || !entry.Has(f.Key)) continue;
                problems.Add(f == FieldTable.ClientSecret && kind.IsApple
                    ? RuleMessages.AppleTakesNoSecret
                    : RuleMessages.KindRefuses(kind, f, ProviderCatalog.All.Where(k => k.Takes(f)).Select(k => k.Name).ToList()));
            }
            return problems;
        }

        /// <summary>Throws KratosIdpInvalidConfiguration when the entry lacks or has kind-specific settings it must not.</summary>
        public static void RequireComplete(ProviderKind kind, ProviderEntry entry, object target = null)
        {
            var problems = OfKind(kind, entry);
            if (problems.Count > 0) throw IdpRules.Invalid(problems, target);
        }

        /// <summary>
        /// What Kratos would reject in an entry read from a file (or what makes it a template):
        /// unknown keys and kinds, missing required keys, wrong types, the kind rules of its schema, enum
        /// values, URLs, a claims request, placeholders. Keys, types, enums and URLs come from the field
        /// table. knownRelease: false when Kratos is newer than every release ExternalIdp knows, which may
        /// accept keys and kinds the table doesn't have (they are not judged then). What a release rejects
        /// of what came later is KratosVersionRules's.
        /// </summary>
        public static List<string> OfKratosEntry(ProviderEntry entry, FieldTable table, bool knownRelease = true)
        {
            var problems = new List<string>();
            foreach (var k in entry.Keys)
                if (knownRelease && table.ByKey(k) == null) problems.Add($"unknown key '{k}' (Kratos rejects keys its schema doesn't list)");
            foreach (var f in table.Rows.Where(f => f.RequiredByKratos))
                if (entry[f] == null) problems.Add($"missing '{f.Key}'");
            foreach (var kv in entry)
            {
                var type = table.ByKey(kv.Key)?.Type;
                if (kv.Value == null || type == null) continue;
                if (type == FieldType.Json)
                {
                    var claims = kv.Value.Kind == SettingKind.Json ? FieldChecks.ClaimsProblem(kv.Value.Json) : "it is not an object";
                    if (claims != null) problems.Add($"'{kv.Key}' is not a claims request Kratos accepts: {claims}");
                    continue;
                }
                if (type == FieldType.List) { if (kv.Value.Kind != SettingKind.List) problems.Add($"'{kv.Key}' must be a list of strings"); }
                else if (kv.Value.Kind != SettingKind.Text && kv.Value.Kind != SettingKind.Secret) problems.Add($"'{kv.Key}' must be a string");
            }
            var provider = entry.Text(FieldTable.Provider.Key);
            if (provider != null)
            {
                if (!ProviderCatalog.TryGetExact(provider, out var kind)) { if (knownRelease) problems.Add($"provider '{provider}' is not a Kratos provider kind"); }
                else problems.AddRange(SchemaKindRules(kind, entry));
            }
            foreach (var f in table.Rows.Where(f => f.Type == FieldType.Enum))
            {
                var v = entry.Text(f.Key);
                if (v != null && !f.Values.Contains(v)) problems.Add($"'{f.Key}' must be one of {string.Join(", ", f.Values)}");
            }
            foreach (var f in table.Rows.Where(f => f.Type == FieldType.Url))
            {
                var v = entry.Text(f.Key);
                if (string.IsNullOrEmpty(v) || IdpRules.IsPlaceholder(v)) continue;
                // base64://<jsonnet in base64> is a URI to Kratos, but System.Uri rejects its "host".
                if (f == FieldTable.MapperUrl && v.StartsWith("base64://", StringComparison.Ordinal))
                {
                    if (DefaultMapper.TryDecode(v) == null) problems.Add($"'{f.Key}' starts with base64:// but what follows is not base64");
                }
                else if (!Uri.TryCreate(v, UriKind.Absolute, out _)) problems.Add($"'{f.Key}' is not a URI");
            }
            foreach (var kv in entry)
                if (kv.Value?.Kind == SettingKind.Text && IdpRules.IsPlaceholder(kv.Value.Text))
                    problems.Add($"'{kv.Key}' holds a template placeholder that Kratos does not expand");
            return problems;
        }

        /// <summary>The conditions of Kratos's schema on the provider kind (microsoft's tenant, apple's keys, the client secret).</summary>
        private static IEnumerable<string> SchemaKindRules(ProviderKind kind, ProviderEntry entry)
        {
            var tenant = FieldTable.MicrosoftTenant.Key;
            if (kind.IsMicrosoft && !entry.Contains(tenant)) yield return $"microsoft requires '{tenant}'";
            if (!kind.IsMicrosoft && entry.Contains(tenant)) yield return $"'{tenant}' is only allowed for microsoft";
            var secret = FieldTable.ClientSecret.Key;
            if (kind.IsApple)
            {
                foreach (var f in AppleKeys)
                    if (!entry.Contains(f.Key)) yield return $"apple requires '{f.Key}'";
                if (!string.IsNullOrEmpty(entry.Text(secret))) yield return $"apple must not have a non-empty '{secret}'";
            }
            else
            {
                if (!entry.Contains(secret)) yield return $"missing '{secret}'";
                foreach (var f in AppleKeys)
                    if (!string.IsNullOrEmpty(entry.Text(f.Key))) yield return $"'{f.Key}' is only allowed for apple";
            }
        }

        /// <summary>
        /// The Problems of an entry of a config file: what Kratos rejects, template values left empty,
        /// and a second entry with the same id.
        /// </summary>
        public static List<string> OfFileEntry(ProviderEntry entry, FieldTable table, bool duplicateId, bool knownRelease = true)
        {
            var problems = OfKratosEntry(entry, table, knownRelease);
            // Templates leave values empty for a later step to fill in; Kratos can't use them as they are.
            var apple = entry.Text(FieldTable.Provider.Key) == "apple";
            foreach (var f in new[] { FieldTable.ClientId, FieldTable.ClientSecret, FieldTable.ApplePrivateKey })
            {
                if (entry.Text(f.Key) != "" || (f == FieldTable.ClientSecret && apple)) continue;
                problems.Add($"'{f.Key}' is empty (a template value to fill in before Kratos can use this provider)");
            }
            if (duplicateId)
                problems.Add($"duplicate id '{entry.ScalarText(FieldTable.Id.Key)}': Kratos uses only the first entry with this id");
            return problems;
        }

        /// <summary>
        /// The Problems of an integrator: a provider the charm accepts but Kratos doesn't, and options the
        /// kratos charm would write unquoted into Kratos's YAML as something other than their text.
        /// </summary>
        public static List<string> OfCharmOptions(string provider, IDictionary<string, string> options, FieldTable table)
        {
            var problems = new List<string>();
            if (!ProviderCatalog.TryGetExact(provider, out _))
                problems.Add($"provider '{provider}' is accepted by the charm but is not a Kratos provider kind, so Kratos rejects it");
            foreach (var kv in options)
            {
                var f = table.ByCharmOption(kv.Key);
                if (f == null || !Juju.CharmRules.IsRenderedPlain(f)) continue;
                var misread = Juju.CharmRules.UnsafeReason(kv.Value, showValue: !f.IsSecret);
                if (misread != null)
                    problems.Add($"option '{kv.Key}' would be read as {misread}: the kratos charm writes it unquoted into Kratos's YAML config, where Kratos expects text");
            }
            return problems;
        }

        /// <summary>Template placeholders in the options of an integrator, which nothing expands (secrets not shown).</summary>
        public static IEnumerable<string> CharmPlaceholders(ProviderEntry entry, FieldTable table)
        {
            foreach (var kv in entry)
            {
                var f = table.ByKey(kv.Key);
                var v = kv.Value?.Kind == SettingKind.Text ? kv.Value.Text : null;
                if (f?.CharmOption == null || !IdpRules.IsPlaceholder(v)) continue;
                yield return f.IsSecret
                    ? $"option '{f.CharmOption}' holds a template placeholder that nothing expands (value not shown)"
                    : $"option '{f.CharmOption}' holds a template placeholder ('{IdpRules.Printable(v)}') that nothing expands";
            }
        }
    }
}
