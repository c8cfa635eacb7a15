using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ExternalIdp.Core
{
    /// <summary>
    /// The one rule for values written into YAML without quotes: which strings every YAML reader
    /// (1.1 and 1.2) reads back as the same string, and what it reads instead when not. Used by the
    /// config-file writer (which quotes what is not safe) and by the Juju target (the kratos charm
    /// writes integrator values unquoted into Kratos's YAML, so an unsafe value is refused).
    /// </summary>
    internal static class YamlPlainScalars
    {
        internal static readonly Regex NullWords = new Regex(@"^(~|null|Null|NULL)$", RegexOptions.CultureInvariant);
        internal static readonly Regex BoolWords = new Regex(@"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$", RegexOptions.CultureInvariant);
        internal static readonly Regex TrueWords = new Regex(@"^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$", RegexOptions.CultureInvariant);
        // YAML 1.1 and 1.2 numbers: ints (with _ and sexagesimal), hex, octal, binary, floats, .inf, .nan.
        internal static readonly Regex NumberLike = new Regex(
            @"^([-+]?(0|[1-9][0-9_]*)|[-+]?0[0-7_]+|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*([eE][-+]?[0-9]+)|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$",
            RegexOptions.CultureInvariant);
        internal static readonly Regex TimestampLike = new Regex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", RegexOptions.CultureInvariant);
        private static readonly Regex YamlTrueOrFalse = new Regex(@"^(true|True|TRUE|false|False|FALSE)$", RegexOptions.CultureInvariant);
        private static readonly Regex DecimalInteger = new Regex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant);
        private static readonly Regex FloatLike = new Regex(@"^[-+]?(([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+|\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.CultureInvariant);

        /// <summary>Characters that start YAML syntax rather than a plain scalar.</summary>
        private const string Indicators = "-?:,[]{}#&*!|>'\"%@`";
        private const string FlowIndicators = ",[]{}";

        /// <summary>Whether s can be written as a plain scalar (in flow context too when inFlow) and read back as the same string.</summary>
        public static bool IsSafe(string s, bool inFlow) => Misreading(s, inFlow, false) == null;

        /// <summary>
        /// Null when s, written without quotes, reads back as the same string; otherwise what a YAML
        /// reader takes it for ("the integer 1234567890", "null", "the boolean true", "a float",
        /// "a parse error ..."). showValue: whether the description may repeat (part of) the value;
        /// false for secrets ("an integer", "a boolean", "an empty value").
        /// </summary>
        public static string Misreading(string s, bool inFlow, bool showValue)
        {
            if (string.IsNullOrEmpty(s)) return showValue ? "null (an empty value)" : "an empty value";
            foreach (var c in s)
                if (char.IsControl(c) || c == '\uFEFF' || c == '\u2028' || c == '\u2029' || c == '\u0085')
                    return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085'
                        ? "a value cut at its line break, or a parse error that makes the whole file unreadable"
                        : "a parse error or a different value (it holds a tab or control character)";
            if (char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[s.Length - 1]))
                return "the value without its leading or trailing white space";
            var first = s[0];
            // A '-' followed by a non-blank character starts a plain scalar in YAML 1.1 and 1.2 ("-----BEGIN ...").
            if (Indicators.IndexOf(first) >= 0 && !(first == '-' && s.Length > 1 && !char.IsWhiteSpace(s[1])))
                return showValue ? LeadingIndicator(first) : "YAML syntax (it starts with one of the characters " + Indicators + "), so a parse error or a different value";
            if (inFlow && s.IndexOfAny(FlowIndicators.ToCharArray()) >= 0)
                return "a different value in a flow collection (it holds ',', '[', ']', '{' or '}')";
            if (s.Contains(": ") || s.EndsWith(":", StringComparison.Ordinal))
                return "a mapping inside the value, which is a parse error (it holds ': ' or ends with ':')";
            if (s.Contains(" #"))
            {
                var kept = s.Substring(0, s.IndexOf(" #", StringComparison.Ordinal)).TrimEnd();
                return showValue ? $"'{kept}', the part before ' #' (YAML starts a comment there)" : "only the part before ' #' (YAML starts a comment there)";
            }
            if (NullWords.IsMatch(s)) return showValue ? "null" : "an empty value";
            var boolean = showValue ? $"the boolean {(TrueWords.IsMatch(s) ? "true" : "false")}" : "a boolean";
            if (YamlTrueOrFalse.IsMatch(s)) return boolean;
            if (BoolWords.IsMatch(s))
                return boolean + " by a YAML 1.1 reader (Kratos's YAML 1.2 reader keeps it text, but ExternalIdp refuses every value that some YAML reader takes for something else)";
            if (NumberLike.IsMatch(s))
            {
                if (DecimalInteger.IsMatch(s)) return showValue ? $"the integer {s}" : "an integer";
                return FloatLike.IsMatch(s) ? "a float" : "a number";
            }
            if (TimestampLike.IsMatch(s)) return "a timestamp";
            if (s == "<<") return "a merge key";
            if (s == "=") return "the YAML 1.1 value key";
            // Anything number-ish that a looser resolver might take for a number.
            if (Regex.IsMatch(s, @"^[-+.]?[0-9]") && double.TryParse(s.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return "a number";
            return null;
        }

        private static string LeadingIndicator(char c)
        {
            switch (c)
            {
                case '*': return "an alias (a leading '*'), which is a parse error";
                case '&': return "an anchor (a leading '&') and whatever follows it";
                case '!': return "a tag (a leading '!') and whatever follows it";
                case '\'': case '"': return $"a quoted string (a leading {c}) without its quotes, or a parse error";
                case '[': case '{': return $"a flow collection (a leading '{c}') or a parse error";
                case '|': case '>': return $"a block scalar (a leading '{c}') or a parse error";
                case '#': return "a comment (a leading '#'), so nothing: null";
                case '%': case '@': case '`': return $"a parse error (a leading '{c}' is reserved in YAML)";
                default: return $"YAML syntax (a leading '{c}'), a parse error or a different value";
            }
        }
    }
}
