using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using YamlDotNet.Core;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>Replace [Start, End) of the original text with Text. Inserts have Start == End.</summary>
    internal sealed class TextEdit
    {
        public int Start, End;
        public string Text;
        public TextEdit(int start, int end, string text) { Start = start; End = end; Text = text; }
        public override string ToString() => $"[{Start},{End}) -> {Text.Length} chars";
    }

    /// <summary>A value written as given: one line of JSON, which YAML (block or flow) and JSON read alike.</summary>
    internal sealed class RJson
    {
        public readonly string Text;
        public RJson(string text) { Text = text; }
    }

    /// <summary>An ordered mapping to render (values: string, bool, string[], RJson, RMap, RMap[]).</summary>
    internal sealed class RMap
    {
        public readonly List<KeyValuePair<string, object>> Pairs = new List<KeyValuePair<string, object>>();
        public RMap Add(string k, object v) { Pairs.Add(new KeyValuePair<string, object>(k, v)); return this; }
    }

    /// <summary>How new text is laid out, taken from the file around the place it goes.</summary>
    internal sealed class Layout
    {
        public string NL = "\n";
        public bool Json;
        /// <summary>Indentation step for nested mappings.</summary>
        public int Step = 2;
        /// <summary>Offset of a nested sequence's dash from its key's column.</summary>
        public int SeqOffset = 2;
        /// <summary>Scope lists written in flow style ([a, b]).</summary>
        public bool ScopeFlow;
        /// <summary>Flow lists written with inner spaces ([ a ]).</summary>
        public bool FlowInnerSpaces;
        /// <summary>Scalars written double-quoted even when plain would do.</summary>
        public bool PreferDoubleQuoted;

        public Layout Clone() => (Layout)MemberwiseClone();
    }

    internal static class Render
    {
        public static string Scalar(string s, Layout l, ScalarStyle preferred = ScalarStyle.Plain)
        {
            if (l.Json) return YamlText.Json(s);
            if (preferred == ScalarStyle.Plain && l.PreferDoubleQuoted) preferred = ScalarStyle.DoubleQuoted;
            return YamlText.Scalar(s, preferred);
        }

        internal static string Key(string k, Layout l) => l.Json ? YamlText.Json(k) : YamlText.Scalar(k);

        public static string FlowList(IEnumerable<string> items, Layout l, ScalarStyle preferred = ScalarStyle.Plain)
        {
            var inner = string.Join(", ", items.Select(i => Scalar(i, l, preferred)));
            if (inner.Length == 0) return "[]";
            return l.FlowInnerSpaces ? "[ " + inner + " ]" : "[" + inner + "]";
        }

        /// <summary>Text that follows "key:" in block style for value v, the key sitting at keyCol.</summary>
        public static string BlockValue(object v, int keyCol, Layout l)
        {
            switch (v)
            {
                case string s: return " " + Scalar(s, l);
                case bool b: return b ? " true" : " false";
                case RJson j: return " " + j.Text;
                case string[] list:
                    if (list.Length == 0) return " []";
                    if (l.ScopeFlow) return " " + FlowList(list, l);
                    return string.Concat(list.Select(i => l.NL + YamlText.Spaces(keyCol + l.SeqOffset) + "- " + Scalar(i, l)));
                case RMap m:
                    if (m.Pairs.Count == 0) return " {}";
                    return l.NL + BlockPairs(m, keyCol + l.Step, l);
                case RMap[] items:
                    if (items.Length == 0) return " []";
                    int dash = keyCol + l.Step;
                    return l.NL + string.Join(l.NL, items.Select(i => BlockItem(i, dash, dash + 2, false, l)));
                default:
                    throw new InvalidOperationException("Cannot render " + (v?.GetType().Name ?? "null"));
            }
        }

        /// <summary>Lines "key: value" at col, joined by NL, no leading or trailing line break.</summary>
        public static string BlockPairs(RMap m, int col, Layout l)
            => string.Join(l.NL, m.Pairs.Select(p => YamlText.Spaces(col) + Key(p.Key, l) + ":" + BlockValue(p.Value, col, l)));

        /// <summary>One sequence item holding a mapping: "-" at dashCol, keys at keyCol (bare: "-" alone on its line).</summary>
        public static string BlockItem(RMap m, int dashCol, int keyCol, bool bareDash, Layout l)
        {
            var body = BlockPairs(m, keyCol, l);
            if (bareDash) return YamlText.Spaces(dashCol) + "-" + l.NL + body;
            // The first key goes on the dash line, at the same column.
            return YamlText.Spaces(dashCol) + "-" + YamlText.Spaces(keyCol - dashCol - 1) + body.Substring(keyCol);
        }

        /// <summary>Flow (JSON or YAML flow) text for v. multiLine: one member per line, members at baseIndent+Step.</summary>
        public static string Flow(object v, int baseIndent, bool multiLine, Layout l)
        {
            switch (v)
            {
                case string s: return Scalar(s, l);
                case bool b: return b ? "true" : "false";
                case RJson j: return j.Text;
                case string[] list: return FlowList(list, l);
                case RMap m:
                {
                    if (m.Pairs.Count == 0) return "{}";
                    var members = m.Pairs.Select(p => Key(p.Key, l) + ": " + Flow(p.Value, baseIndent + l.Step, multiLine, l)).ToList();
                    if (!multiLine) return "{" + string.Join(", ", members) + "}";
                    var ind = YamlText.Spaces(baseIndent + l.Step);
                    return "{" + l.NL + string.Join("," + l.NL, members.Select(x => ind + x)) + l.NL + YamlText.Spaces(baseIndent) + "}";
                }
                case RMap[] items:
                {
                    if (items.Length == 0) return "[]";
                    if (!multiLine) return "[" + string.Join(", ", items.Select(i => Flow(i, baseIndent, false, l))) + "]";
                    var ind = YamlText.Spaces(baseIndent + l.Step);
                    return "[" + l.NL + string.Join("," + l.NL, items.Select(i => ind + Flow(i, baseIndent + l.Step, true, l))) + l.NL + YamlText.Spaces(baseIndent) + "]";
                }
                default:
                    throw new InvalidOperationException("Cannot render " + (v?.GetType().Name ?? "null"));
            }
        }

        /// <summary>Applies non-overlapping edits to text (inserts at one point keep their order).</summary>
        public static string Apply(string text, IList<TextEdit> edits)
        {
            // OrderBy is stable: edits at one point keep the order they were given in.
            var sorted = edits.OrderBy(e => e.Start).ThenBy(e => e.End > e.Start ? 1 : 0).ToList();
            var sb = new StringBuilder(text.Length + 256);
            int pos = 0;
            foreach (var e in sorted)
            {
                if (e.Start < pos || e.End < e.Start || e.End > text.Length)
                    throw new InvalidOperationException("overlapping edits");
                sb.Append(text, pos, e.Start - pos).Append(e.Text);
                pos = e.End;
            }
            sb.Append(text, pos, text.Length - pos);
            return sb.ToString();
        }
    }
}
