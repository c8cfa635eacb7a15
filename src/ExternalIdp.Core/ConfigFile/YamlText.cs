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
        /// <summary>A boxed typed value for null/bool/number-looking plain scalars.</summary>
        public sealed class Typed
        {
            public string Kind; public string Text;
            public Typed(string kind, string text) { Kind = kind; Text = text; }
            public override bool Equals(object obj) => obj is Typed t && t.Kind == Kind && (Kind == "bool" ? IsTrue(t.Text) == IsTrue(Text) : t.Text == Text);
            public override int GetHashCode() => Kind.GetHashCode();
            public override string ToString() => Text;
        }

        public static bool IsTrue(string s) => s != null && YamlPlainScalars.TrueWords.IsMatch(s);

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
                if (YamlPlainScalars.NullWords.IsMatch(v)) return null;
                if (YamlPlainScalars.BoolWords.IsMatch(v)) return new Typed("bool", v);
            }
            else if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.')
            {
                if (YamlPlainScalars.NumberLike.IsMatch(v)) return new Typed("number", v);
                if (YamlPlainScalars.TimestampLike.IsMatch(v)) return new Typed("timestamp", v);
            }
            return v;
        }

        /// <summary>Whether s can be written as a plain scalar (block or flow context) and read back as the same string.</summary>
        public static bool IsPlainSafe(string s) => YamlPlainScalars.IsSafe(s, inFlow: true);

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
