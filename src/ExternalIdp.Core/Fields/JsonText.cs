using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using ExternalIdp.Core.ConfigFile;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ExternalIdp.Core
{
    /// <summary>
    /// A JSON value (requested_claims) in the plain form a config file's reader gives: strings,
    /// Dictionary&lt;string, object&gt;, List&lt;object&gt;, null, and YamlText.Typed for numbers and
    /// booleans. Read from JSON text or from a structure (a hashtable), and written as compact JSON,
    /// which YAML reads back as the same value.
    /// </summary>
    internal static class JsonText
    {
        private static readonly Regex JsonNumber = new Regex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

        /// <summary>The plain value of JSON text; null with error set when the text is not JSON.</summary>
        public static bool TryParse(string text, out object plain, out string error)
        {
            plain = null;
            error = null;
            try
            {
                using (var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double })
                {
                    var token = JToken.ReadFrom(reader);
                    while (reader.Read())
                        if (reader.TokenType != JsonToken.Comment) throw new JsonReaderException($"more text after the value (line {reader.LineNumber}, position {reader.LinePosition})");
                    plain = FromToken(token);
                    return true;
                }
            }
            catch (JsonException e)
            {
                error = e.Message;
                return false;
            }
        }

        private static object FromToken(JToken t)
        {
            switch (t.Type)
            {
                case JTokenType.Object:
                    var d = new Dictionary<string, object>(StringComparer.Ordinal);
                    foreach (var p in ((JObject)t).Properties()) d[p.Name] = FromToken(p.Value);
                    return d;
                case JTokenType.Array: return t.Select(FromToken).ToList();
                case JTokenType.Null:
                case JTokenType.Undefined: return null;
                case JTokenType.Boolean: return new YamlText.Typed("bool", (bool)t ? "true" : "false");
                case JTokenType.Integer:
                case JTokenType.Float: return new YamlText.Typed("number", t.ToString(Formatting.None));
                default: return (string)t;
            }
        }

        /// <summary>
        /// The plain value of a structure (dictionaries, lists, strings, booleans, numbers, null, as a
        /// hashtable holds them); any other value becomes its invariant text.
        /// </summary>
        public static object FromObject(object o, int depth = 0)
        {
            if (depth > 64) throw new ArgumentException("nested more than 64 levels deep");
            switch (o)
            {
                case null: return null;
                case string s: return s;
                case char c: return c.ToString();
                case bool b: return new YamlText.Typed("bool", b ? "true" : "false");
                case IDictionary dict:
                    var d = new Dictionary<string, object>(StringComparer.Ordinal);
                    foreach (DictionaryEntry e in dict) d[Convert.ToString(e.Key, CultureInfo.InvariantCulture)] = FromObject(e.Value, depth + 1);
                    return d;
                case IEnumerable list: return list.Cast<object>().Select(i => FromObject(i, depth + 1)).ToList();
                case double x when double.IsNaN(x) || double.IsInfinity(x): return x.ToString(CultureInfo.InvariantCulture);
                case float x when float.IsNaN(x) || float.IsInfinity(x): return x.ToString(CultureInfo.InvariantCulture);
                case double x: return new YamlText.Typed("number", x.ToString("R", CultureInfo.InvariantCulture));
                case float x: return new YamlText.Typed("number", x.ToString("R", CultureInfo.InvariantCulture));
                case byte _: case sbyte _: case short _: case ushort _: case int _: case uint _: case long _: case ulong _: case decimal _:
                case System.Numerics.BigInteger _:
                    return new YamlText.Typed("number", Convert.ToString(o, CultureInfo.InvariantCulture));
                default: return Convert.ToString(o, CultureInfo.InvariantCulture);
            }
        }

        /// <summary>Compact JSON of a plain value (a number YAML reads but JSON doesn't write, such as 0x1F, as a string).</summary>
        public static string ToJson(object plain)
        {
            var sb = new StringBuilder();
            Write(sb, plain, 0);
            return sb.ToString();
        }

        private static void Write(StringBuilder sb, object v, int depth)
        {
            switch (v)
            {
                case null: sb.Append("null"); return;
                case string s: sb.Append(Quote(s)); return;
                case YamlText.Typed t when t.Kind == "bool": sb.Append(YamlText.IsTrue(t.Text) ? "true" : "false"); return;
                case YamlText.Typed t when t.Kind == "number" && JsonNumber.IsMatch(t.Text): sb.Append(t.Text); return;
                case YamlText.Typed t: sb.Append(Quote(t.Text)); return;
                case IDictionary<string, object> d:
                    sb.Append('{');
                    bool first = true;
                    foreach (var kv in d)
                    {
                        if (!first) sb.Append(", ");
                        first = false;
                        sb.Append(Quote(kv.Key)).Append(": ");
                        Write(sb, kv.Value, depth + 1);
                    }
                    sb.Append('}');
                    return;
                case IEnumerable<object> list:
                    sb.Append('[');
                    bool firstItem = true;
                    foreach (var i in list)
                    {
                        if (!firstItem) sb.Append(", ");
                        firstItem = false;
                        Write(sb, i, depth + 1);
                    }
                    sb.Append(']');
                    return;
                default: sb.Append(Quote(Convert.ToString(v, CultureInfo.InvariantCulture))); return;
            }
        }

        /// <summary>A JSON string that YAML reads as the same string (control characters, line separators and the BOM escaped).</summary>
        private static string Quote(string s)
        {
            var sb = new StringBuilder(s.Length + 2).Append('"');
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\ufeff' || c >= '\ufffe') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            return sb.Append('"').ToString();
        }
    }
}
