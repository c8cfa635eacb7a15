using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// The values of a provider entry in the forms the config-file target works with: values to render
    /// (in the field table's key order, secrets revealed on their way into the file), and plain values
    /// to compare with what a document reads back (KratosConfigDocument.Plain).
    /// </summary>
    internal static class EntryValues
    {
        /// <summary>An entry to render, its keys in the order the field table writes them.</summary>
        public static RMap ToRMap(ProviderEntry entry, FieldTable fields)
        {
            var r = new RMap();
            foreach (var kv in entry.OrderBy(kv => fields.OrderOf(kv.Key)))
                r.Add(kv.Key, RValue(kv.Value));
            return r;
        }

        /// <summary>A value to render: secrets revealed here, on their way into the file.</summary>
        public static object RValue(SettingValue v)
        {
            switch (v?.Kind)
            {
                case null: return null;
                case SettingKind.Secret: return v.Secret.Reveal();
                case SettingKind.Text: return v.Text;
                case SettingKind.List: return v.Items;
                default: return new RJson(v.AsJson);
            }
        }

        /// <summary>An entry as KratosConfigDocument.Plain would read it back: null, string, YamlText.Typed, List&lt;object&gt;, Dictionary&lt;string, object&gt;.</summary>
        public static Dictionary<string, object> PlainOf(ProviderEntry entry)
            => entry.ToDictionary(kv => kv.Key, kv => kv.Value?.ToPlain(), StringComparer.Ordinal);

        public static bool PlainEquals(object a, object b)
        {
            if (a == null || b == null) return a == null && b == null;
            if (a is string sa) return b is string sb && string.Equals(sa, sb, StringComparison.Ordinal);
            if (a is YamlText.Typed ta) return ta.Equals(b);
            if (a is List<object> la)
            {
                if (!(b is List<object> lb) || la.Count != lb.Count) return false;
                for (int i = 0; i < la.Count; i++) if (!PlainEquals(la[i], lb[i])) return false;
                return true;
            }
            if (a is Dictionary<string, object> da)
            {
                if (!(b is Dictionary<string, object> db) || da.Count != db.Count) return false;
                foreach (var kv in da)
                    if (!db.TryGetValue(kv.Key, out var bv) || !PlainEquals(kv.Value, bv)) return false;
                return true;
            }
            return Equals(a, b);
        }
    }
}
