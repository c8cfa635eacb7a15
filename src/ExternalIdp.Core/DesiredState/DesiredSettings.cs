using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ExternalIdp.Core.DesiredState
{
    /// <summary>How a desired-state setting is written and compared.</summary>
    public enum DesiredShape
    {
        /// <summary>One text value ("" or null: the optional setting is absent).</summary>
        Text,
        /// <summary>A list of texts (scope).</summary>
        List,
        /// <summary>A secret: the desired state holds only its name, never the value.</summary>
        Secret,
    }

    /// <summary>
    /// One provider setting as the desired state names it: a row of the field table that has a
    /// parameter (or the row's other form, -JsonnetMapper), with where it lives in IdpSettings (what
    /// Add and Set take) and in KratosIdp (what Get returns).
    /// </summary>
    public sealed class DesiredSetting
    {
        private readonly bool _alt;

        internal DesiredSetting(Field field, bool alt)
        {
            Field = field;
            _alt = alt;
            SettingsProperty = alt ? field.AltParameter : field.Parameter;
            Name = DesiredSettings.NameOfParameter(SettingsProperty);
            Shape = field.IsSecret ? DesiredShape.Secret : field.Type == FieldType.List ? DesiredShape.List : DesiredShape.Text;
        }

        /// <summary>The row of the field table.</summary>
        public Field Field { get; }
        /// <summary>The key in a desired-state file (client_id).</summary>
        public string Name { get; }
        /// <summary>The parameter of Add and Set, which is also the IdpSettings property (ClientId; JsonnetMapper).</summary>
        public string SettingsProperty { get; }
        /// <summary>The KratosIdp property that shows the value (ClientId; HasClientSecret for a secret; MapperUrl for the jsonnet mapper).</summary>
        public string IdpProperty => Field.Property;
        /// <summary>The key in a Kratos provider entry (client_id).</summary>
        public string KratosKey => Field.Key;
        public DesiredShape Shape { get; }
        /// <summary>The row's other form (-JsonnetMapper: the mapper's jsonnet source, which Kratos holds as a base64:// mapper_url).</summary>
        public bool IsAlternative => _alt;

        /// <summary>The value in settings: string, string[] or SecretValue; null when not given.</summary>
        internal object Get(IdpSettings s)
        {
            if (_alt) return s.JsonnetMapper;
            var v = s[Field];
            switch (Shape)
            {
                case DesiredShape.Secret: return v?.Secret;
                case DesiredShape.List: return v?.List == null ? null : v.Items;
                default: return v?.Text;
            }
        }

        /// <summary>Sets the value in settings (string, string[] or SecretValue, by Shape).</summary>
        internal void Set(IdpSettings s, object value)
        {
            if (_alt) { s.JsonnetMapper = (string)value; return; }
            switch (Shape)
            {
                case DesiredShape.Secret: s[Field] = SettingValue.Of((SecretValue)value); break;
                case DesiredShape.List: s[Field] = SettingValue.Of((string[])value); break;
                default: s[Field] = SettingValue.Of((string)value); break;
            }
        }

        /// <summary>What a KratosIdp shows: string or string[] (bool for a secret: whether one is set).</summary>
        internal object Actual(KratosIdp idp) => IdpView.PropertyOf(Field).GetValue(idp);

        /// <summary>The value in settings: string, string[] or SecretValue; null when not given.</summary>
        public object ValueIn(IdpSettings settings) => Get(settings);

        /// <summary>Sets the value in settings (string, string[] or SecretValue, by Shape).</summary>
        public void Assign(IdpSettings settings, object value) => Set(settings, value);

        public override string ToString() => Name;
    }

    /// <summary>
    /// The desired-state settings, made from the field table: every row with a parameter (and the
    /// mapper's other form, jsonnet_mapper), named by its parameter in snake_case (client_id;
    /// tenant for -TenantId), provider first, then in table order. Reading and writing desired-state
    /// files, pipeline input, Compare and Sync all go through it; the rows without a parameter are
    /// "keys without a parameter", named by their Kratos key and kept as they are (see <see cref="ExtraKeys"/>).
    /// </summary>
    public static class DesiredSettings
    {
        /// <summary>Desired-state names that are not their parameter in snake_case.</summary>
        private static readonly Dictionary<string, string> NameExceptions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TenantId"] = "tenant",
        };

        /// <summary>The desired-state name of a parameter: snake_case (ClientId → client_id), with the exceptions above.</summary>
        internal static string NameOfParameter(string parameter)
        {
            if (NameExceptions.TryGetValue(parameter, out var name)) return name;
            var sb = new StringBuilder();
            for (int i = 0; i < parameter.Length; i++)
            {
                var c = parameter[i];
                if (char.IsUpper(c) && i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            return sb.ToString();
        }

        private static FieldTable Table => FieldTable.Default;

        /// <summary>
        /// A row the desired state names as a setting: one with a parameter whose value is text, a list or
        /// a secret. A JSON row (requested_claims) is written as it is, like a key without a parameter.
        /// </summary>
        private static bool IsSetting(Field f) => f.Parameter != null && f.Type != FieldType.Json;

        /// <summary>In the order a desired-state file writes them: provider, then the table's order (jsonnet_mapper after mapper_url).</summary>
        public static readonly IReadOnlyList<DesiredSetting> All = Table.Rows.Where(IsSetting)
            .OrderBy(f => f == FieldTable.Provider ? 0 : 1)
            .SelectMany(f => f.AltParameter == null ? new[] { new DesiredSetting(f, false) } : new[] { new DesiredSetting(f, false), new DesiredSetting(f, true) })
            .ToList();

        private static string Fold(string key) => key == null ? "" : key.Replace("_", "").Replace("-", "").ToLowerInvariant();

        private static readonly Dictionary<string, DesiredSetting> ByName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

        private static readonly Dictionary<string, DesiredSetting> ByFolded = BuildFolded();

        private static Dictionary<string, DesiredSetting> BuildFolded()
        {
            var d = new Dictionary<string, DesiredSetting>(StringComparer.Ordinal);
            foreach (var s in All)
                // A secret's KratosIdp property (HasClientSecret) says whether one is set: it names no setting.
                foreach (var k in s.Shape == DesiredShape.Secret ? new[] { s.Name, s.SettingsProperty } : new[] { s.Name, s.SettingsProperty, s.IdpProperty })
                    if (!d.ContainsKey(Fold(k))) d[Fold(k)] = s;
            return d;
        }

        /// <summary>The setting of a desired-state file key (exact spelling), or null.</summary>
        public static DesiredSetting ByFileKey(string key) => key != null && ByName.TryGetValue(key, out var s) ? s : null;

        /// <summary>
        /// The setting a property or hashtable key names, in any of its spellings (client_id, ClientId;
        /// case, '_' and '-' ignored), or null.
        /// </summary>
        public static DesiredSetting ByAnyName(string key) => key != null && ByFolded.TryGetValue(Fold(key), out var s) ? s : null;

        /// <summary>
        /// Kratos keys of the rows that are no setting (fedcm_config_url, requested_claims, ...): a
        /// desired state names them by their Kratos key and they are written as they are.
        /// </summary>
        public static readonly IReadOnlyCollection<string> ExtraKeys = new HashSet<string>(
            Table.Rows.Where(f => f != FieldTable.Provider && !IsSetting(f)).Select(f => f.Key), StringComparer.Ordinal);

        /// <summary>The desired-state setting of a row (its own form, not -JsonnetMapper).</summary>
        internal static DesiredSetting Of(Field f) => All.First(s => s.Field == f && !s.IsAlternative);

        /// <summary>The row of a key without a parameter, or null.</summary>
        internal static Field ExtraField(string key) => ExtraKeys.Contains(key) ? Table.ByKey(key) : null;

        /// <summary>The desired-state name of a Kratos key, for messages that point at a misspelt key ("id" → provider_id).</summary>
        public static string NameOfKratosKey(string kratosKey)
            => All.FirstOrDefault(s => s.KratosKey == kratosKey && !s.IsAlternative)?.Name;

        // ------------------------------------------------------------------ values of keys without a parameter

        /// <summary>
        /// A value of a target's entry as Compare and Sync see values of keys without a parameter:
        /// texts, booleans, lists and mappings (numbers as their text). Secrets are never extras: they show masked.
        /// </summary>
        internal static object Neutral(SettingValue v)
        {
            switch (v?.Kind)
            {
                case null: return null;
                case SettingKind.Text: return v.Text;
                case SettingKind.List: return v.Items;
                case SettingKind.Secret: return v.ToString();
                default: return NeutralPlain(v.Json);
            }
        }

        private static object NeutralPlain(object v)
        {
            switch (v)
            {
                case null: return null;
                case string s: return s;
                case ConfigFile.YamlText.Typed t: return t.Kind == "bool" ? (object)ConfigFile.YamlText.IsTrue(t.Text) : t.Text;
                case IDictionary<string, object> d: return d.ToDictionary(kv => kv.Key, kv => NeutralPlain(kv.Value), StringComparer.Ordinal);
                case IEnumerable e: return e.Cast<object>().Select(NeutralPlain).ToList();
                default: return v.ToString();
            }
        }
    }
}
