using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExternalIdp.Core.Tests.Reliability
{
    /// <summary>
    /// Reads a config file independently of the module (YamlDotNet's representation model) the way a
    /// strict YAML reader would: a plain scalar that YAML 1.1 or 1.2 could resolve to null, a boolean,
    /// a number or a timestamp becomes {"$typed": text}, so it never compares equal to the string a user gave.
    /// </summary>
    internal static class KratosReader
    {
        private static readonly Regex Typed = new Regex(
            @"^(~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|<<|=" +
            @"|[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])*)" +
            @"|[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*([eE][-+]?[0-9]+)" +
            @"|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)" +
            @"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?)$", RegexOptions.CultureInvariant);

        public static YamlNode Root(string text)
        {
            var ys = new YamlStream();
            using (var r = new StringReader(text)) ys.Load(r);
            return ys.Documents.Count == 0 ? null : ys.Documents[0].RootNode;
        }

        public static string Text(string path)
        {
            var b = File.ReadAllBytes(path);
            int skip = b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0;
            return new UTF8Encoding(false, true).GetString(b, skip, b.Length - skip);
        }

        public static JToken ToJson(YamlNode n)
        {
            switch (n)
            {
                case YamlScalarNode s:
                    if (s.Style == ScalarStyle.Plain && (s.Tag.IsEmpty || s.Tag.Value == "?") && (s.Value.Length == 0 || Typed.IsMatch(s.Value)))
                        return new JObject { ["$typed"] = s.Value };
                    return new JValue(s.Value);
                case YamlSequenceNode q: return new JArray(q.Children.Select(ToJson));
                case YamlMappingNode m:
                    var o = new JObject();
                    foreach (var kv in m.Children) o[((YamlScalarNode)kv.Key).Value] = ToJson(kv.Value);
                    return o;
                default: return JValue.CreateNull();
            }
        }

        /// <summary>The mapping at root (dotted) then keys, or null.</summary>
        public static YamlNode At(YamlNode root, string configRoot, params string[] keys)
        {
            var cur = root;
            foreach (var k in (configRoot == null ? new string[0] : configRoot.Split('.')).Concat(keys))
            {
                if (!(cur is YamlMappingNode m) || !m.Children.TryGetValue(new YamlScalarNode(k), out cur)) return null;
            }
            return cur;
        }

        public static readonly string[] ProvidersPath = { "selfservice", "methods", "oidc", "config", "providers" };

        /// <summary>The provider entries of a file as typed JSON (empty when there is no list).</summary>
        public static JArray Providers(string text, string configRoot)
            => At(Root(text), configRoot, ProvidersPath) is YamlSequenceNode q ? (JArray)ToJson(q) : new JArray();

        /// <summary>
        /// Lines (0-based, inclusive) from the providers key to the last line with content of the list, or
        /// null when the file has no providers key. Everything before and after must survive any edit.
        /// </summary>
        public static (int From, int To)? ProvidersRegion(string text, string configRoot)
        {
            var root = Root(text);
            var parent = At(root, configRoot, ProvidersPath.Take(ProvidersPath.Length - 1).ToArray()) as YamlMappingNode;
            if (parent == null) return null;
            var key = parent.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == "providers");
            if (key == null) return null;
            int last = LastLine(text, key);
            last = Math.Max(last, LastLine(text, parent.Children[key]));
            return ((int)key.Start.Line - 1, last - 1);
        }

        private static int LastLine(string text, YamlNode n)
        {
            switch (n)
            {
                case YamlScalarNode s:
                    return s.End.Column == 1 && s.End.Line > s.Start.Line ? (int)s.End.Line - 1 : (int)s.End.Line;
                case YamlSequenceNode q:
                    if (q.Style == YamlDotNet.Core.Events.SequenceStyle.Flow) return LineAt(text, FlowEnd(text, (int)q.Start.Index));
                    return q.Children.Count == 0 ? (int)q.Start.Line : q.Children.Max(c => LastLine(text, c));
                case YamlMappingNode m:
                    if (m.Style == YamlDotNet.Core.Events.MappingStyle.Flow) return LineAt(text, FlowEnd(text, (int)m.Start.Index));
                    return m.Children.Count == 0 ? (int)m.Start.Line : m.Children.Max(kv => Math.Max(LastLine(text, kv.Key), LastLine(text, kv.Value)));
                default:
                    return (int)n.End.Line;
            }
        }

        private static int LineAt(string text, int index)
        {
            int line = 1;
            for (int i = 0; i < index && i < text.Length; i++) if (text[i] == '\n') line++;
            return line;
        }

        /// <summary>
        /// Whether a quote at i opens a quoted scalar: at the start of a flow node (after [ { , or a
        /// space), or right after the colon of a quoted (JSON-like) key that closed at closedAt; not
        /// inside a plain scalar such as c':'+.
        /// </summary>
        private static bool QuoteOpens(string text, int i, int closedAt)
            => i == 0 || "[{, \t\n".IndexOf(text[i - 1]) >= 0 || (text[i - 1] == ':' && i - 2 == closedAt);

        /// <summary>The index of the bracket that closes the flow collection opening at start (quotes skipped).</summary>
        private static int FlowEnd(string text, int start)
        {
            int depth = 0, closedAt = -2;
            for (int i = start; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '"' && QuoteOpens(text, i, closedAt)) { for (i++; i < text.Length && text[i] != '"'; i++) if (text[i] == '\\') i++; closedAt = i; continue; }
                if (c == '\'' && QuoteOpens(text, i, closedAt)) { for (i++; i < text.Length; i++) { if (text[i] == '\'') { if (i + 1 < text.Length && text[i + 1] == '\'') i++; else break; } } closedAt = i; continue; }
                if (c == '#' && i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) { while (i < text.Length && text[i] != '\n') i++; continue; }
                if (c == '[' || c == '{') depth++;
                else if (c == ']' || c == '}') { depth--; if (depth == 0) return i; }
            }
            return text.Length - 1;
        }

        /// <summary>Why the text outside the providers list differs between two versions of a file, or null when it doesn't.</summary>
        public static string OutsideDifference(string before, string after, string configRoot)
        {
            var rb = ProvidersRegion(before, configRoot);
            var ra = ProvidersRegion(after, configRoot);
            if (rb == null || ra == null) return "no providers key to compare around";
            var lb = ConfigFile.TestSupport.SplitLines(before);
            var la = ConfigFile.TestSupport.SplitLines(after);
            if (rb.Value.From != ra.Value.From) return $"the providers key moved from line {rb.Value.From + 1} to {ra.Value.From + 1}";
            for (int i = 0; i < rb.Value.From; i++)
                if (lb[i] != la[i]) return $"line {i + 1} before the providers list changed: '{lb[i]}' -> '{la[i]}'";
            int tb = lb.Length - rb.Value.To - 1, ta = la.Length - ra.Value.To - 1;
            if (tb != ta) return $"{tb} lines followed the providers list, now {ta}";
            for (int i = 1; i <= tb; i++)
                if (lb[lb.Length - i] != la[la.Length - i]) return $"line {lb.Length - i + 1} after the providers list changed: '{lb[lb.Length - i]}' -> '{la[la.Length - i]}'";
            return null;
        }
    }
}
