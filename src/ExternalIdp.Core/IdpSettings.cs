using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core
{
    /// <summary>
    /// Provider settings as given by the user (Add: the whole entry; Set: only what changes), one
    /// SettingValue per row of the field table. Null means "not given". For Set, an empty string
    /// (or empty Scope) means "remove the optional setting". The named properties read and write
    /// the same store as the indexer; a row without a property is set through the indexer.
    /// </summary>
    public sealed class IdpSettings
    {
        private readonly Dictionary<Field, SettingValue> _values = new Dictionary<Field, SettingValue>();

        public IdpSettings() : this(FieldTable.Default) { }

        /// <summary>Settings for the rows of another table (tests add a made-up row).</summary>
        internal IdpSettings(FieldTable table) { Table = table; }

        /// <summary>The rows these settings are for.</summary>
        public FieldTable Table { get; }

        /// <summary>The value given for a row, or null.</summary>
        public SettingValue this[Field field]
        {
            get => _values.TryGetValue(field, out var v) ? v : null;
            set { if (value == null) _values.Remove(field); else _values[field] = value; }
        }

        public string Provider { get => Text(FieldTable.Provider); set => this[FieldTable.Provider] = SettingValue.Of(value); }
        public string ClientId { get => Text(FieldTable.ClientId); set => this[FieldTable.ClientId] = SettingValue.Of(value); }
        public SecretValue ClientSecret { get => this[FieldTable.ClientSecret]?.Secret; set => this[FieldTable.ClientSecret] = SettingValue.Of(value); }
        public string TenantId { get => Text(FieldTable.MicrosoftTenant); set => this[FieldTable.MicrosoftTenant] = SettingValue.Of(value); }
        public string IssuerUrl { get => Text(FieldTable.IssuerUrl); set => this[FieldTable.IssuerUrl] = SettingValue.Of(value); }
        public string AppleTeamId { get => Text(FieldTable.AppleTeamId); set => this[FieldTable.AppleTeamId] = SettingValue.Of(value); }
        public string ApplePrivateKeyId { get => Text(FieldTable.ApplePrivateKeyId); set => this[FieldTable.ApplePrivateKeyId] = SettingValue.Of(value); }
        public SecretValue ApplePrivateKey { get => this[FieldTable.ApplePrivateKey]?.Secret; set => this[FieldTable.ApplePrivateKey] = SettingValue.Of(value); }
        public string ProviderId { get => Text(FieldTable.Id); set => this[FieldTable.Id] = SettingValue.Of(value); }
        public string Label { get => Text(FieldTable.Label); set => this[FieldTable.Label] = SettingValue.Of(value); }
        public string[] Scope { get => this[FieldTable.Scope]?.Items; set => this[FieldTable.Scope] = SettingValue.Of(value); }
        public string MapperUrl { get => Text(FieldTable.MapperUrl); set => this[FieldTable.MapperUrl] = SettingValue.Of(value); }
        public string SubjectSource { get => Text(FieldTable.SubjectSource); set => this[FieldTable.SubjectSource] = SettingValue.Of(value); }
        public string ClaimsSource { get => Text(FieldTable.ClaimsSource); set => this[FieldTable.ClaimsSource] = SettingValue.Of(value); }
        public string Pkce { get => Text(FieldTable.Pkce); set => this[FieldTable.Pkce] = SettingValue.Of(value); }

        /// <summary>
        /// The mapper's jsonnet source (-JsonnetMapper, already read from a file by the caller if a
        /// path was given): the mapper_url row's other form, which the validator encodes as base64://.
        /// </summary>
        public string JsonnetMapper { get; set; }

        private string Text(Field f) => this[f]?.Text;

        /// <summary>The rows given, with their values, in table order.</summary>
        public IEnumerable<KeyValuePair<Field, SettingValue>> Given
            => Table.Rows.Where(_values.ContainsKey).Select(f => new KeyValuePair<Field, SettingValue>(f, _values[f]));

        /// <summary>The PowerShell parameter names that were given, in table order, for messages ("TenantId").</summary>
        public IEnumerable<string> GivenParameters()
        {
            foreach (var f in Table.Rows)
            {
                if (_values.ContainsKey(f)) yield return f.Parameter ?? f.Key;
                if (f.AltParameter != null && JsonnetMapper != null) yield return f.AltParameter;
            }
        }

        public bool IsEmpty => _values.Count == 0 && JsonnetMapper == null;
    }
}
