using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core
{
    /// <summary>
    /// One provider entry by Kratos key, in the order its keys came: built from the user's settings,
    /// read from a config file, or what the integrator charm hands Kratos. A key may be present
    /// without a value (null: "key:" with nothing after it). Keys no table row knows are kept.
    /// </summary>
    public sealed class ProviderEntry : IEnumerable<KeyValuePair<string, SettingValue>>
    {
        private readonly List<string> _keys = new List<string>();
        private readonly Dictionary<string, SettingValue> _values = new Dictionary<string, SettingValue>(StringComparer.Ordinal);

        public ProviderEntry() { }

        public ProviderEntry(IEnumerable<KeyValuePair<string, SettingValue>> values)
        {
            foreach (var kv in values) this[kv.Key] = kv.Value;
        }

        /// <summary>The value of key (null when absent or without value); setting a new key adds it at the end.</summary>
        public SettingValue this[string key]
        {
            get => _values.TryGetValue(key, out var v) ? v : null;
            set
            {
                if (!_values.ContainsKey(key)) _keys.Add(key);
                _values[key] = value;
            }
        }

        public SettingValue this[Field field]
        {
            get => this[field.Key];
            set => this[field.Key] = value;
        }

        public int Count => _keys.Count;
        public IReadOnlyList<string> Keys => _keys;

        /// <summary>Whether the key is there, with or without a value.</summary>
        public bool Contains(string key) => _values.ContainsKey(key);

        public bool Remove(string key) => _values.Remove(key) && _keys.Remove(key);

        /// <summary>Whether the key holds a value that counts as given: not null, not "" and not an empty secret.</summary>
        public bool Has(string key)
        {
            var v = this[key];
            return v != null && !((v.Kind == SettingKind.Text || v.Kind == SettingKind.Secret) && v.IsEmpty);
        }

        /// <summary>The string at key; null when absent or not a string.</summary>
        public string Text(string key)
        {
            var v = this[key];
            return v != null && v.Kind == SettingKind.Text ? v.Text : null;
        }

        /// <summary>The text at key as Kratos reads a scalar: a string, or a number or boolean as written; else null.</summary>
        public string ScalarText(string key) => this[key]?.Text;

        public ProviderEntry Clone() => new ProviderEntry(this);

        public IEnumerator<KeyValuePair<string, SettingValue>> GetEnumerator()
            => _keys.Select(k => new KeyValuePair<string, SettingValue>(k, _values[k])).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>
        /// An entry from a config file's plain values (string, list, dictionary, null, or a typed
        /// scalar: a number or boolean). Lists of strings become lists; anything else is kept as read.
        /// </summary>
        internal static ProviderEntry FromPlain(IEnumerable<KeyValuePair<string, object>> plain)
        {
            var e = new ProviderEntry();
            foreach (var kv in plain) e[kv.Key] = ValueOf(kv.Value);
            return e;
        }

        private static SettingValue ValueOf(object v)
        {
            switch (v)
            {
                case null: return null;
                case string s: return SettingValue.Of(s);
                case ConfigFile.YamlText.Typed t: return SettingValue.OfJson(t, t.Text);
                case IEnumerable<object> list when !(v is IDictionary<string, object>):
                    var items = list.ToList();
                    return items.All(i => i is string) ? SettingValue.Of(items.Cast<string>()) : SettingValue.OfJson(Normalize(v), null);
                default: return SettingValue.OfJson(Normalize(v), null);
            }
        }

        /// <summary>Lists as List&lt;object&gt; and mappings as Dictionary&lt;string, object&gt;, all the way down.</summary>
        private static object Normalize(object v)
        {
            switch (v)
            {
                case IDictionary<string, object> d: return d.ToDictionary(kv => kv.Key, kv => Normalize(kv.Value), StringComparer.Ordinal);
                case string s: return s;
                case IEnumerable e: return e.Cast<object>().Select(Normalize).ToList();
                default: return v;
            }
        }
    }
}
