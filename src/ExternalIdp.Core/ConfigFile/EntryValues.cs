using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// The values of a provider entry in the forms the config-file target works with: the order keys
    /// are written in, values to render (secrets revealed on their way into the file), plain values to
    /// compare with what a document reads back (KratosConfigDocument.Plain), and strings of an entry.
    /// </summary>
    internal static class EntryValues
    {
        /// <summary>Kratos keys in the order new entries and changes are written: id, provider, then as IdpRules gives them.</summary>
        private static readonly string[] KeyOrder = new[] { Fields.Id, Fields.Provider }
            .Concat(IdpRules.GivenFields(new IdpSettings()).Select(kv => kv.Key).Where(k => k != Fields.Id)).ToArray();

        public static int OrderOf(string key)
        {
            var i = Array.IndexOf(KeyOrder, key);
            return i < 0 ? 99 : i;
        }

        /// <summary>The string value of key in an entry (a typed scalar as its text), or null.</summary>
        public static string Text(IDictionary<string, object> e, string key)
        {
            if (!e.TryGetValue(key, out var v) || v == null) return null;
            return v as string ?? (v as YamlText.Typed)?.Text;
        }

        /// <summary>An entry to render, its keys in the order they are written.</summary>
        public static RMap ToRMap(IEnumerable<KeyValuePair<string, object>> entry)
        {
            var r = new RMap();
            foreach (var kv in entry.OrderBy(kv => OrderOf(kv.Key)))
                r.Add(kv.Key, RValue(kv.Value));
            return r;
        }

        /// <summary>A value to render: secrets revealed here, on their way into the file.</summary>
        public static object RValue(object v)
        {
            switch (v)
            {
                case null: return null;
                case SecretValue sv: return sv.Reveal();
                case string s: return s;
                case string[] a: return a;
                case IEnumerable<string> e: return e.ToArray();
                default: return v.ToString();
            }
        }

        /// <summary>A value as KratosConfigDocument.Plain gives it: null, string, YamlText.Typed, List&lt;object&gt;, Dictionary&lt;string, object&gt;.</summary>
        public static object PlainValue(object v)
        {
            switch (v)
            {
                case null: return null;
                case SecretValue sv: return sv.Reveal();
                case string s: return s;
                case YamlText.Typed t: return t;
                case IDictionary<string, object> d: return d.ToDictionary(kv => kv.Key, kv => PlainValue(kv.Value), StringComparer.Ordinal);
                case System.Collections.IEnumerable e: return e.Cast<object>().Select(PlainValue).ToList();
                default: return v.ToString();
            }
        }

        public static Dictionary<string, object> PlainOf(IDictionary<string, object> entry)
            => entry.ToDictionary(kv => kv.Key, kv => PlainValue(kv.Value), StringComparer.Ordinal);

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
