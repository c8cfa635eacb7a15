using System;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>Writing scalars that read back as exactly the same string, and reading plain scalars' types.</summary>
    internal static class YamlText
    {
        private static readonly Regex NullWords = new Regex(@"^(~|null|Null|NULL)$", RegexOptions.CultureInvariant);
        private static readonly Regex BoolWords = new Regex(@"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$", RegexOptions.CultureInvariant);
        private static readonly Regex TrueWords = new Regex(@"^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$", RegexOptions.CultureInvariant);
        // YAML 1.1 and 1.2 numbers: ints (with _ and sexagesimal), hex, octal, binary, floats, .inf, .nan.
        private static readonly Regex NumberLike = new Regex(
            @"^([-+]?(0|[1-9][0-9_]*)|[-+]?0[0-7_]+|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*([eE][-+]?[0-9]+)|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$",
            RegexOptions.CultureInvariant);
        private static readonly Regex TimestampLike = new Regex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", RegexOptions.CultureInvariant);

        /// <summary>A boxed typed value for null/bool/number-looking plain scalars.</summary>
        public sealed class Typed
        {
            public string Kind; public string Text;
            public Typed(string kind, string text) { Kind = kind; Text = text; }
            public override bool Equals(object obj) => obj is Typed t && t.Kind == Kind && (Kind == "bool" ? IsTrue(t.Text) == IsTrue(Text) : t.Text == Text);
            public override int GetHashCode() => Kind.GetHashCode();
            public override string ToString() => Text;
        }

        public static bool IsTrue(string s) => s != null && TrueWords.IsMatch(s);

        /// <summary>What a scalar means: null, a Typed (bool / number / timestamp), or its string.</summary>
        public static object Resolve(YScalar s)
        {
            if (!s.IsPlain || !string.IsNullOrEmpty(s.Tag) && s.Tag != "?") 
            {
                if (s.Tag == "tag:yaml.org,2002:null") return null;
                if (s.Tag == "tag:yaml.org,2002:bool") return new Typed("bool", s.Value);
                if (s.Tag == "tag:yaml.org,2002:int" || s.Tag == "tag:yaml.org,2002:float") return new Typed("number", s.Value);
                return s.Value;
            }
            var v = s.Value;
            if (v.Length == 0) return null;
            // Only run the patterns that can match: every null and bool word has at most 5 characters
            // and starts with one of "~nNyYtTfFoO"; every number and timestamp starts with "-+." or a digit.
            char c = v[0];
            if (v.Length <= 5 && "~nNyYtTfFoO".IndexOf(c) >= 0)
            {
                if (NullWords.IsMatch(v)) return null;
                if (BoolWords.IsMatch(v)) return new Typed("bool", v);
            }
            else if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.')
            {
                if (NumberLike.IsMatch(v)) return new Typed("number", v);
                if (TimestampLike.IsMatch(v)) return new Typed("timestamp", v);
            }
            return v;
        }

        /// <summary>Whether s can be written as a plain scalar (block or flow context) and read back as the same string.</summary>
        public static bool IsPlainSafe(string s)
        {
            if (string.IsNullOrEmpty(s)) return false;
            if (char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[s.Length - 1])) return false;
            if ("-?:,[]{}#&*!|>'\"%@`".IndexOf(s[0]) >= 0) return false;
            foreach (var c in s)
            {
                if (char.IsControl(c) || c == '\uFEFF' || c == '\u2028' || c == '\u2029' || c == '\u0085') return false;
                if (",[]{}".IndexOf(c) >= 0) return false;
            }
            if (s.Contains(": ") || s.Contains(" #") || s.EndsWith(":", StringComparison.Ordinal)) return false;
            if (s.Contains("\t")) return false;
            if (NullWords.IsMatch(s) || BoolWords.IsMatch(s) || NumberLike.IsMatch(s) || TimestampLike.IsMatch(s)) return false;
            if (s == "<<" || s == "=") return false;
            // Anything number-ish that a looser resolver might take for a number.
            if (Regex.IsMatch(s, @"^[-+.]?[0-9]") && double.TryParse(s.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return false;
            return true;
        }

        public static string DoubleQuoted(string s)
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
                    case '\0': sb.Append("\\0"); break;
                    case '\u0085': sb.Append("\\N"); break;
                    case '\u00A0': sb.Append("\\_"); break;
                    case '\u2028': sb.Append("\\L"); break;
                    case '\u2029': sb.Append("\\P"); break;
                    default:
                        if (char.IsControl(c) || c == '\uFEFF') sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            return sb.Append('"').ToString();
        }

        public static string SingleQuoted(string s) => "'" + s.Replace("'", "''") + "'";

        /// <summary>A YAML scalar for s: plain when safe, else double-quoted. preferred keeps an existing value's quoting.</summary>
        public static string Scalar(string s, ScalarStyle preferred = ScalarStyle.Plain)
        {
            bool oneLine = true;
            foreach (var c in s) if (char.IsControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') { oneLine = false; break; }
            if (preferred == ScalarStyle.DoubleQuoted) return DoubleQuoted(s);
            if (preferred == ScalarStyle.SingleQuoted && oneLine && s.Trim() == s) return SingleQuoted(s);
            return IsPlainSafe(s) ? s : DoubleQuoted(s);
        }

        public static string Json(string s) => Newtonsoft.Json.JsonConvert.ToString(s);

        /// <summary>Index of the start of the line holding position i.</summary>
        public static int LineStart(string t, int i)
        {
            while (i > 0 && t[i - 1] != '\n') i--;
            return i;
        }

        /// <summary>How many spaces the line starting at ls begins with.</summary>
        public static int Indent(string t, int ls)
        {
            int i = ls;
            while (i < t.Length && t[i] == ' ') i++;
            return i - ls;
        }

        /// <summary>Index of the line break ending the line holding position i (or the text's end).</summary>
        public static int LineEnd(string t, int i)
        {
            while (i < t.Length && t[i] != '\n' && t[i] != '\r') i++;
            return i;
        }

        /// <summary>Index after the line break ending the line holding position i.</summary>
        public static int NextLineStart(string t, int i)
        {
            i = LineEnd(t, i);
            if (i < t.Length && t[i] == '\r') i++;
            if (i < t.Length && t[i] == '\n') i++;
            return i;
        }

        /// <summary>0-based column of position i.</summary>
        public static int Col(string t, int i) => i - LineStart(t, i);

        public static bool OnlySpacesBefore(string t, int i)
        {
            for (int j = LineStart(t, i); j < i; j++) if (t[j] != ' ' && t[j] != '\t') return false;
            return true;
        }

        public static string Spaces(int n) => new string(' ', Math.Max(0, n));
    }
}
