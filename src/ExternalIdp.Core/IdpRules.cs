using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ExternalIdp.Core
{
    /// <summary>
    /// The rules for provider entries that every target shares: the checks of given values (each
    /// row's own check, from the field table), a new entry with the module's defaults, and the
    /// changes of Set as entry keys. Entries are ProviderEntry values keyed by Kratos key.
    /// </summary>
    public static class IdpRules
    {
        private static readonly Regex Placeholder = new Regex(@"\$\{[^}]*\}|\{\{.*?\}\}", RegexOptions.CultureInvariant);

        /// <summary>Whether a value holds a template placeholder (${...} or {{...}}) that Kratos does not expand.</summary>
        internal static bool IsPlaceholder(string value) => value != null && Placeholder.IsMatch(value);

        public static bool IsValidTenant(string tenant) => FieldChecks.IsValidTenant(tenant);

        /// <summary>Why value is not an absolute http(s) URL with a host and without query or fragment; null when it is.</summary>
        internal static string HttpUrlProblem(string value, string parameter, string give, string bare)
            => FieldChecks.HttpUrlProblem(value, parameter, give, bare);

        /// <summary>A value made safe to quote in a message (control characters escaped, long values cut).</summary>
        public static string Printable(string s)
        {
            if (s == null) return "";
            var t = new string(s.Take(120).ToArray());
            t = t.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
            t = new string(t.Select(c => char.IsControl(c) ? '?' : c).ToArray());
            return s.Length > 120 ? t + "..." : t;
        }

        internal static ExternalIdpException Invalid(IEnumerable<string> problems, object target = null)
            => new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument, string.Join(" ", problems), target);

        /// <summary>
        /// Checks each given value on its own, with its row's check (URLs, tenant, enums, id, scope,
        /// control characters). Throws KratosIdpInvalidConfiguration listing every problem with its
        /// fix, in table order. Never echoes a secret. allowEmptyProviderId: -ProviderId '' is a valid
        /// change on Juju (back to the charm's own id).
        /// </summary>
        public static void ValidateValues(IdpSettings s, bool allowEmptyProviderId = false)
        {
            var problems = new List<string>();
            foreach (var kv in s.Given)
            {
                var f = kv.Key;
                var v = kv.Value;
                var skip = f.Check == null || (f == FieldTable.Id && allowEmptyProviderId && v.Kind == SettingKind.Text && v.Text.Length == 0);
                switch (skip ? (SettingKind?)null : v.Kind)
                {
                    case SettingKind.Text: Add(problems, f.Check(f, v.Text)); break;
                    case SettingKind.Secret: Add(problems, f.Check(f, v.Secret.Reveal())); break;
                    case SettingKind.List: foreach (var item in v.List) Add(problems, f.Check(f, item)); break;
                    case SettingKind.Json: Add(problems, f.Check(f, v.AsJson)); break;
                }
                if (f.AltParameter != null && s.JsonnetMapper != null) problems.Add(RuleMessages.MapperTwice(f));
            }
            var mapper = s.Table.Rows.FirstOrDefault(f => f.AltParameter != null);
            if (mapper != null && s.JsonnetMapper != null && s.JsonnetMapper.Trim().Length == 0)
                problems.Add(RuleMessages.JsonnetEmpty(mapper));
            if (problems.Count > 0) throw Invalid(problems);
        }

        private static void Add(List<string> problems, string problem)
        {
            if (problem != null) problems.Add(problem);
        }

        /// <summary>Throws unless id is a usable provider id.</summary>
        public static void ValidateProviderId(string id)
        {
            if (id == null || !FieldChecks.ProviderIdPattern.IsMatch(id))
                throw Invalid(new[] { RuleMessages.BadProviderId($"'{Printable(id)}'") });
        }

        /// <summary>
        /// The settings the user gave, as (row, value) in table order, with -JsonnetMapper as a
        /// base64:// mapper_url; the provider row is left out (the kind stands for it). Empty values
        /// are kept: they mean "remove" to Set.
        /// </summary>
        internal static IEnumerable<KeyValuePair<Field, SettingValue>> GivenFields(IdpSettings s)
        {
            var given = s.Given.Where(kv => kv.Key != FieldTable.Provider).ToDictionary(kv => kv.Key, kv => kv.Value);
            foreach (var f in s.Table.Rows)
            {
                if (f == FieldTable.Provider) continue;
                given.TryGetValue(f, out var v);
                if (v == null && f.AltParameter != null && s.JsonnetMapper != null) v = SettingValue.Of(DefaultMapper.ToMapperUrl(s.JsonnetMapper));
                // JSON given as text (checked by the row) travels as the value it holds.
                if (v != null && f.Type == FieldType.Json && v.Kind == SettingKind.Text && !Clears(v)) v = SettingValue.OfJsonText(v.Text) ?? v;
                if (v != null) yield return new KeyValuePair<Field, SettingValue>(f, v);
            }
        }

        /// <summary>An empty text or list: "remove" to Set, "not given" to Add. An empty secret is a value ("").</summary>
        internal static bool Clears(SettingValue v) => (v.Kind == SettingKind.Text || v.Kind == SettingKind.List) && v.IsEmpty;

        /// <summary>
        /// A new entry: id, provider, then the given values in table order, with the module's defaults
        /// for label, scope and mapper where nothing was given (applyDefaults). Keys the kind doesn't
        /// take are kept so that the kind check can name them.
        /// </summary>
        public static ProviderEntry NewEntry(IdpRequest r, string providerId, bool applyDefaults = true)
        {
            var e = new ProviderEntry();
            if (providerId != null) e[FieldTable.Id] = SettingValue.Of(providerId);
            e[FieldTable.Provider] = SettingValue.Of(r.Kind.Name);
            foreach (var f in r.Table.Rows)
            {
                if (f == FieldTable.Id || f == FieldTable.Provider) continue;
                var v = r[f] ?? (applyDefaults ? DefaultOf(r.Kind, f) : null);
                if (v != null && !Clears(v)) e[f] = v;
            }
            return e;
        }

        /// <summary>The module's default for a row of a new config-file entry, or null.</summary>
        private static SettingValue DefaultOf(ProviderKind kind, Field f)
        {
            if (f == FieldTable.Label) return SettingValue.Of(kind.DisplayName);
            if (f == FieldTable.Scope) return SettingValue.Of(kind.DefaultScope);
            if (f == FieldTable.MapperUrl) return SettingValue.Of(DefaultMapper.UrlFor(kind));
            return null;
        }

        /// <summary>
        /// The changes of Set as Kratos keys: value to set, or null to remove the key. When the kind
        /// changes, keys the new kind doesn't take are removed too (and listed in dropped) unless the
        /// user gave them, which the kind check then refuses.
        /// </summary>
        public static ProviderEntry Changes(ProviderEntry existing, ProviderKind oldKind, ProviderKind newKind, IdpRequest r, out List<string> dropped)
        {
            var c = new ProviderEntry();
            if (newKind != oldKind) c[FieldTable.Provider] = SettingValue.Of(newKind.Name);
            foreach (var kv in r.Values)
                c[kv.Key] = Clears(kv.Value) ? null : kv.Value;
            dropped = new List<string>();
            if (newKind != oldKind)
            {
                foreach (var f in ProviderCatalog.KindSpecificFields)
                {
                    if (newKind.Takes(f) || c.Contains(f.Key) || !existing.Contains(f.Key)) continue;
                    c[f] = null;
                    dropped.Add(f.Key);
                }
            }
            return c;
        }

        /// <summary>existing with changes applied (null removes a key).</summary>
        public static ProviderEntry Apply(ProviderEntry existing, ProviderEntry changes)
        {
            var r = existing.Clone();
            foreach (var kv in changes)
            {
                if (kv.Value == null) r.Remove(kv.Key); else r[kv.Key] = kv.Value;
            }
            return r;
        }
    }
}
