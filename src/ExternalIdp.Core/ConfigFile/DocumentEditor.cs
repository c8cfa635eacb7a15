using System;
using System.Linq;
using YamlDotNet.Core;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// Text edits of one document that change only what they must: replace a value, add or delete
    /// pairs, find an item's dash, delete whole lines, laid out the way the file around them is
    /// (indentation step, scope style, quoting).
    /// </summary>
    internal sealed class DocumentEditor
    {
        private readonly KratosConfigDocument _doc;

        public DocumentEditor(KratosConfigDocument doc) { _doc = doc; }

        public string Text => _doc.Text;
        public string NL => _doc.NL;
        public bool Json => _doc.Json;

        public int KeyCol(YMapping m) => m.Pairs.Count == 0 ? YamlText.Col(Text, m.Start) : YamlText.Col(Text, m.Pairs[0].Key.Start);

        public int LeadingSpaces(int pos) => YamlText.Indent(Text, YamlText.LineStart(Text, pos));

        /// <summary>The file's indentation step at a mapping: its key column minus its parent's.</summary>
        private int StepAt(YMapping m, YMapping parent)
        {
            if (m.Flow || Json) return JsonStep();
            if (parent != null && !parent.Flow && m.Pairs.Count > 0)
            {
                int d = KeyCol(m) - KeyCol(parent);
                if (d > 0) return d;
            }
            foreach (var p in m.Pairs)
                if (p.Value is YMapping c && !c.Flow && c.Pairs.Count > 0)
                {
                    int d = KeyCol(c) - KeyCol(m);
                    if (d > 0) return d;
                }
            return 2;
        }

        private int JsonStep()
        {
            if (_doc.Doc.Root is YMapping r && r.Pairs.Count > 0 && r.Pairs[0].Key.Line != r.Line)
            {
                int d = YamlText.Col(Text, r.Pairs[0].Key.Start) - LeadingSpaces(r.Start);
                if (d > 0) return d;
            }
            return 2;
        }

        private YMapping ParentOf(int level) => level == 0 ? _doc.KRootParent : _doc.Containers[level - 1];

        /// <summary>
        /// How new text at mapping at (level: its index in KratosConfigDocument.Containers) is laid out: the
        /// file's indentation step there, and the scope style and quoting of styleFrom or the last entry.
        /// </summary>
        public Layout BaseLayout(YMapping at, int level, YMapping styleFrom = null)
        {
            var l = new Layout { NL = NL, Json = Json, Step = StepAt(at, ParentOf(level)) };
            l.SeqOffset = l.Step;
            // Follow the existing entries' habits (the edited one's, or the last one's): scope style and quoting.
            var lastEntry = styleFrom ?? _doc.Items.OfType<YMapping>().LastOrDefault();
            if (lastEntry != null && !lastEntry.Flow)
            {
                var sc = lastEntry.FindAll(FieldTable.Scope.Key).FirstOrDefault()?.Value as YSequence;
                if (sc != null)
                {
                    l.ScopeFlow = sc.Flow;
                    if (sc.Flow) l.FlowInnerSpaces = sc.Start + 1 < Text.Length && Text[sc.Start + 1] == ' ';
                    else
                    {
                        int off = YamlText.Col(Text, sc.Start) - KeyCol(lastEntry);
                        if (off >= 0) l.SeqOffset = off;
                    }
                }
                var scalars = lastEntry.Pairs.Select(p => p.Value).OfType<YScalar>().Where(s => s.Value.Length > 0).ToList();
                l.PreferDoubleQuoted = scalars.Count > 0 && scalars.Count(s => s.Style == ScalarStyle.DoubleQuoted) * 2 > scalars.Count;
            }
            return l;
        }

        // ------------------------------------------------------------------ edits

        /// <summary>The ':' after a mapping key.</summary>
        public int ColonAfter(YNode key)
        {
            int c = key.End;
            while (c < Text.Length && (Text[c] == ' ' || Text[c] == '\t')) c++;
            if (c < Text.Length && Text[c] == ':') return c;
            throw _doc.Unsupported(ConfigFileMessages.NoColonAfterKey(key.Line));
        }

        public static int PairEnd(YPair p) => Math.Max(p.Key.End, p.Value.End);

        /// <summary>Adds pairs at the end of mapping m (one edit).</summary>
        public TextEdit InsertPairs(YMapping m, RMap pairs, Layout l)
        {
            if (m.Flow || Json)
            {
                bool multi = m.Pairs.Count > 0 ? m.Pairs[m.Pairs.Count - 1].Key.Line != m.Line : Json;
                if (m.Pairs.Count == 0)
                {
                    int baseIndent = LeadingSpaces(m.Start);
                    return new TextEdit(m.Start, m.End, Render.Flow(pairs, baseIndent, multi, l));
                }
                var last = m.Pairs[m.Pairs.Count - 1];
                int col = multi ? YamlText.Col(Text, last.Key.Start) : 0;
                var members = pairs.Pairs.Select(p =>
                    Render.Key(p.Key, l) + ": " + Render.Flow(p.Value, col, multi, l));
                var sep = multi ? "," + NL + YamlText.Spaces(col) : ", ";
                return new TextEdit(PairEnd(last), PairEnd(last), string.Concat(members.Select(x => sep + x)));
            }
            int keyCol = KeyCol(m);
            int at = YamlText.LineEnd(Text, m.End);
            return new TextEdit(at, at, NL + Render.BlockPairs(pairs, keyCol, l));
        }

        /// <summary>Replaces the value of pair p (in mapping m) with v.</summary>
        public TextEdit ReplaceValue(YMapping m, YPair p, object v, Layout l)
        {
            var old = p.Value;
            if (m.Flow || Json)
            {
                int baseIndent = LeadingSpaces(p.Key.Start);
                bool multi = Json;
                if (old is YScalar os && os.IsEmptyNull)
                    return new TextEdit(old.Start, old.End, " " + Render.Flow(v, baseIndent, multi, l));
                return new TextEdit(old.Start, old.End, Render.Flow(v, baseIndent, multi, l));
            }
            if (v is string s && old is YScalar sc && !sc.IsEmptyNull && sc.Style != ScalarStyle.Literal && sc.Style != ScalarStyle.Folded)
                return new TextEdit(sc.Start, sc.End, Render.Scalar(s, l, sc.Style));
            if (v is bool b && old is YScalar bs && !bs.IsEmptyNull && bs.Style == ScalarStyle.Plain)
                return new TextEdit(bs.Start, bs.End, b ? "true" : "false");
            if (v is string[] list && old is YSequence q)
            {
                if (q.Flow)
                {
                    var ql = l.Clone();
                    ql.FlowInnerSpaces = q.Start + 1 < Text.Length && Text[q.Start + 1] == ' ';
                    var pref = q.Items.OfType<YScalar>().Any(i => i.Style == ScalarStyle.DoubleQuoted) ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain;
                    return new TextEdit(q.Start, q.End, list.Length == 0 ? "[]" : Render.FlowList(list, ql, pref));
                }
                if (list.Length > 0 && q.Items.Count > 0)
                {
                    var bl = l.Clone();
                    bl.ScopeFlow = false;
                    bl.SeqOffset = YamlText.Col(Text, q.Start) - YamlText.Col(Text, p.Key.Start);
                    var pref = q.Items.OfType<YScalar>().Any(i => i.Style == ScalarStyle.DoubleQuoted) ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain;
                    bl.PreferDoubleQuoted = pref == ScalarStyle.DoubleQuoted;
                    int colon = ColonAfter(p.Key);
                    return new TextEdit(colon + 1, old.End, Render.BlockValue(list, YamlText.Col(Text, p.Key.Start), bl));
                }
            }
            int c2 = ColonAfter(p.Key);
            return new TextEdit(c2 + 1, Math.Max(c2 + 1, old.End), Render.BlockValue(v, YamlText.Col(Text, p.Key.Start), l));
        }

        /// <summary>Deletes pair p from mapping m.</summary>
        public TextEdit DeletePair(YMapping m, YPair p)
        {
            int idx = m.Pairs.IndexOf(p);
            if (m.Flow || Json)
            {
                if (idx < m.Pairs.Count - 1) return new TextEdit(p.Key.Start, m.Pairs[idx + 1].Key.Start, "");
                if (idx > 0) return new TextEdit(PairEnd(m.Pairs[idx - 1]), PairEnd(p), "");
                return new TextEdit(p.Key.Start, PairEnd(p), "");
            }
            if (YamlText.OnlySpacesBefore(Text, p.Key.Start))
                return DeleteLines(YamlText.LineStart(Text, p.Key.Start), YamlText.NextLineStart(Text, PairEnd(p)));
            if (idx < m.Pairs.Count - 1 && YamlText.Col(Text, m.Pairs[idx + 1].Key.Start) == YamlText.Col(Text, p.Key.Start))
                return new TextEdit(p.Key.Start, m.Pairs[idx + 1].Key.Start, "");
            throw _doc.Unsupported(ConfigFileMessages.CantDeleteKey((p.Key as YScalar)?.Value, p.Key.Line));
        }

        /// <summary>The '-' that starts a block sequence item.</summary>
        public int DashOf(YNode item)
        {
            int i = item.Start - 1;
            while (i >= 0 && (Text[i] == ' ' || Text[i] == '\t')) i--;
            if (i >= 0 && Text[i] == '-') return i;
            // "-" alone on an earlier line (possibly followed by a comment), blank or comment lines between.
            int ls = YamlText.LineStart(Text, item.Start);
            while (ls > 0)
            {
                int prevStart = YamlText.LineStart(Text, ls - 1);
                var line = Text.Substring(prevStart, ls - prevStart).TrimEnd('\r', '\n');
                var trimmed = line.TrimStart(' ', '\t');
                if (trimmed.Length == 0 || trimmed.StartsWith("#", StringComparison.Ordinal)) { ls = prevStart; continue; }
                if (trimmed[0] == '-' && (trimmed.Length == 1 || trimmed[1] == ' ' || trimmed[1] == '\t'))
                {
                    var rest = trimmed.Substring(1).Trim();
                    if (rest.Length == 0 || rest.StartsWith("#", StringComparison.Ordinal))
                        return prevStart + (line.Length - trimmed.Length);
                }
                break;
            }
            throw _doc.Unsupported(ConfigFileMessages.NoDashOfEntry(item.Line));
        }

        /// <summary>Deletes whole lines [from, to); at the end of a file without a final line break, the break before them goes instead.</summary>
        public TextEdit DeleteLines(int from, int to)
        {
            if (to == Text.Length && Text.Length > 0 && Text[Text.Length - 1] != '\n' && from > 0)
            {
                from--;
                if (from > 0 && Text[from] == '\n' && Text[from - 1] == '\r') from--;
            }
            return new TextEdit(from, to, "");
        }

        /// <summary>Whether the line above the one holding pos is blank (spaces only).</summary>
        public bool BlankLineBefore(int pos)
        {
            int ls = YamlText.LineStart(Text, pos);
            if (ls == 0) return false;
            int prev = YamlText.LineStart(Text, ls - 1);
            return Text.Substring(prev, ls - prev).Trim().Length == 0;
        }
    }
}
