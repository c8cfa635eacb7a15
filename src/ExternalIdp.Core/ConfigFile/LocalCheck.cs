using System;
using System.Collections.Generic;
using YamlDotNet.Core;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// The cheap form of the self-check for the common edit: whole provider entries of a block-style
    /// providers list replaced, added or removed, nothing else. It verifies the new text from the
    /// changed lines alone instead of re-reading the whole file, and answers only "verified" or
    /// "not sure" (then the full check runs); it never refuses an edit itself.
    /// </summary>
    /// <remarks>
    /// Safety argument. Let O be the original text and N the new one.
    /// 1. N = P + R' + S and O = P + R + S, where P is the longest common prefix cut back to a line
    ///    start and S the longest common suffix cut forward to a line start: outside R' every byte is
    ///    the original's.
    /// 2. The original was parsed (once) and R covers whole providers items only: every original item
    ///    lies wholly inside R or wholly outside it, and every line of R that is not blank or a comment
    ///    belongs to an item inside R. The providers list is in block style at dash column c, the
    ///    document holds one YAML document, no anchors or aliases (so no value depends on another
    ///    place), and the item just before R has a value that follows from its text alone (no block
    ///    scalar whose kept trailing blank lines could change). So when reading O reaches P's end, the
    ///    reader is inside the block sequence at column c, between items; reading N reaches the same
    ///    point in the same state, since P is the same.
    /// 3. R' read on its own is one block sequence whose dashes sit at column c; every line of R' is
    ///    blank, a comment, a line indented more than c, or a "- " line at column c (so no line of R'
    ///    can close the providers list or any collection around it, and no line is a document marker
    ///    or directive); its items carry no anchors, aliases, tags, merge keys or block scalars. Block
    ///    structure depends only on indentation relative to the enclosing collection, so in N the
    ///    lines of R' give exactly these items, each equal (as a value) to what was intended.
    /// 4. R' read alone is a complete document, so no quoted scalar or flow collection is left open at
    ///    its end; the first line of S that is not blank or a comment is indented at most c (checked),
    ///    which ends any plain scalar, mapping or item R' left open, exactly as it ended the last item
    ///    before S in O. From there on the reader is in the same state as in O and S reads the same.
    /// 5. So N reads as O with the items of R replaced by those of R': the rest of the document, the
    ///    untouched entries (byte-identical, same positions relative to their neighbours) and the new
    ///    entries are all as intended. 'enabled' is not touched (an edit that must switch it on
    ///    changes a line outside the list, which step 2 refuses; when it is requested it must already
    ///    read as true).
    /// Anything else (JSON, flow lists, keys created around the list, tabs, anchors, line breaks other
    /// than LF and CRLF, unusual layout)
    /// answers "not sure" and the whole new text is re-read and compared, as before.
    /// </remarks>
    internal static class LocalCheck
    {
        /// <summary>
        /// True when newText is verified to read back as orig with the providers list given by slots;
        /// edit then describes the change (its Items: the new providers list). False: not verified
        /// here (the full check must run), and edit is null.
        /// </summary>
        public static bool TryVerify(KratosConfigDocument orig, string newText, List<ConfigFileTarget.Slot> slots, bool enable, out Edit edit)
        {
            edit = null;
            try { return Verify(orig, newText, slots, enable, ref edit); }
            catch (ExternalIdpException) { edit = null; return false; }
            catch (YamlException) { edit = null; return false; }
        }

        /// <summary>
        /// A change verified by the local check: the original lines [A, Q) of the original text were
        /// replaced by the lines [A, QN) of the new text, which hold the items of Read (null: none).
        /// </summary>
        internal sealed class Edit
        {
            public KratosConfigDocument Orig;
            public string NewText;
            /// <summary>The providers list after the change (original nodes outside the changed lines; nodes of Read, positioned in the changed lines alone, inside).</summary>
            public List<YNode> Items;
            public int A, Q, QN, Before, Inside, After;
            public YSequence Read;

            /// <summary>
            /// The tree a parse of NewText gives, built from the original tree without reading the
            /// whole text again; null when this change is not one it builds (then nothing is cached).
            /// </summary>
            /// <remarks>
            /// By the safety argument above, the new text reads as the original with the items in
            /// [A, Q) replaced by the items of the changed lines. So every node that ends before A is
            /// the original one (same text at the same place); every node that starts at or after Q
            /// is the original one moved by the change in length and in lines (whole lines were
            /// replaced, so columns stay); the items read from the changed lines alone sit at A (the
            /// changed lines start a line, so their columns stay too); and the providers list and the
            /// collections around it end where their last child ends, as the reader computes it.
            /// The new items are then checked to cover exactly the text they were read from.
            /// </remarks>
            public YDocument NewTree()
            {
                var seq = Orig.Providers;
                var o = Orig.Text;
                var n = NewText;
                int newInside = Read?.Items.Count ?? 0;
                if (Before + newInside + After == 0) return null; // the list becomes empty: not a list any more
                if (Before == 0 && newInside == 0) return null;   // the list would start at a later item's dash
                int chars = n.Length - o.Length;
                int linesBeforeA = CountBreaks(o, 0, A);
                int lines = CountBreaks(n, A, QN) - CountBreaks(o, A, Q);
                var items = new List<YNode>(Before + newInside + After);
                for (int i = 0; i < Before; i++) items.Add(seq.Items[i]);
                if (Read != null) foreach (var it in Read.Items) items.Add(Moved(it, A, linesBeforeA));
                for (int j = 0; j < After; j++) items.Add(Moved(seq.Items[Before + Inside + j], chars, lines));
                var start = Before > 0 ? seq.Span : Read.Span.Moved(A, linesBeforeA);
                var newSeq = new YSequence(start.WithEnd(YamlTreeReader.BlockEnd(start.Start, items[items.Count - 1])), null, null, false, items);

                // Every new or moved item covers the same text as where it was read (the items before
                // the changed lines are the original nodes over the same, unchanged text).
                var r = n.Substring(A, QN - A);
                for (int i = Before; i < items.Count; i++)
                {
                    YNode was, now = items[i];
                    string from;
                    if (i < Before + newInside) { was = Read.Items[i - Before]; from = r; }
                    else { was = seq.Items[Before + Inside + (i - Before - newInside)]; from = o; }
                    if (now.End - now.Start != was.End - was.Start || now.End > n.Length
                        || string.CompareOrdinal(n, now.Start, from, was.Start, was.End - was.Start) != 0) return null;
                }
                var around = new HashSet<YNode>();
                if (!Encloses(Orig.Doc.Root, seq, around)) return null;
                var root = Rebuilt(Orig.Doc.Root, seq, newSeq, around, chars, lines);
                return root == null ? null : new YDocument(n, root, 1, 0, false, null);
            }

            /// <summary>Whether node is seq or encloses it; the collections on the way are added to around.</summary>
            private static bool Encloses(YNode node, YSequence seq, HashSet<YNode> around)
            {
                if (ReferenceEquals(node, seq)) return true;
                if (node.Start > seq.Start || node.End < seq.End) return false;
                bool found = false;
                if (node is YMapping m) { foreach (var p in m.Pairs) if (Encloses(p.Value, seq, around)) { found = true; break; } }
                else if (node is YSequence q) { foreach (var it in q.Items) if (Encloses(it, seq, around)) { found = true; break; } }
                if (found) around.Add(node);
                return found;
            }

            /// <summary>node with seq replaced by newSeq and what follows the changed lines moved; null when not built.</summary>
            private YNode Rebuilt(YNode node, YSequence seq, YSequence newSeq, HashSet<YNode> around, int chars, int lines)
            {
                if (ReferenceEquals(node, seq)) return newSeq;
                if (!around.Contains(node))
                {
                    if (node.Start >= Q) return Moved(node, chars, lines);
                    if (node.End <= A) return node;
                    return null; // reaches into the changed lines without holding the list: not expected, not built
                }
                // The block collections that hold the providers list: rebuilt around the new list.
                if (node.Flow || node.HasAnchorOrTag) return null;
                switch (node)
                {
                    case YMapping m:
                    {
                        var pairs = new List<YPair>(m.Pairs.Count);
                        foreach (var p in m.Pairs)
                        {
                            var k = Rebuilt(p.Key, seq, newSeq, around, chars, lines);
                            var v = Rebuilt(p.Value, seq, newSeq, around, chars, lines);
                            if (k == null || v == null) return null;
                            pairs.Add(ReferenceEquals(k, p.Key) && ReferenceEquals(v, p.Value) ? p : new YPair(k, v));
                        }
                        var last = pairs.Count == 0 ? null : pairs[pairs.Count - 1].Value;
                        return new YMapping(m.Span.WithEnd(YamlTreeReader.BlockEnd(m.Start, last)), null, null, false, pairs);
                    }
                    case YSequence q:
                    {
                        var list = new List<YNode>(q.Items.Count);
                        foreach (var it in q.Items)
                        {
                            var b = Rebuilt(it, seq, newSeq, around, chars, lines);
                            if (b == null) return null;
                            list.Add(b);
                        }
                        var last = list.Count == 0 ? null : list[list.Count - 1];
                        return new YSequence(q.Span.WithEnd(YamlTreeReader.BlockEnd(q.Start, last)), null, null, false, list);
                    }
                    default:
                        return null;
                }
            }

            /// <summary>A copy of node and everything in it, moved by chars characters and lines lines.</summary>
            private static YNode Moved(YNode node, int chars, int lines)
            {
                if (chars == 0 && lines == 0) return node;
                var span = node.Span.Moved(chars, lines);
                switch (node)
                {
                    case YScalar s: return new YScalar(span, s.Anchor, s.Tag, s.Value, s.Style);
                    case YAlias a: return new YAlias(span, a.Name);
                    case YMapping m:
                    {
                        var pairs = new YPair[m.Pairs.Count];
                        for (int i = 0; i < pairs.Length; i++) pairs[i] = new YPair(Moved(m.Pairs[i].Key, chars, lines), Moved(m.Pairs[i].Value, chars, lines));
                        return new YMapping(span, m.Anchor, m.Tag, m.Flow, pairs);
                    }
                    case YSequence q:
                    {
                        var list = new YNode[q.Items.Count];
                        for (int i = 0; i < list.Length; i++) list[i] = Moved(q.Items[i], chars, lines);
                        return new YSequence(span, q.Anchor, q.Tag, q.Flow, list);
                    }
                    default: throw new InvalidOperationException("unknown node");
                }
            }

            /// <summary>Line breaks in t[from, to) (only LF and CRLF occur: see OtherBreaks).</summary>
            private static int CountBreaks(string t, int from, int to)
            {
                int count = 0;
                for (int i = t.IndexOf('\n', from, to - from); i >= 0; i = i + 1 < to ? t.IndexOf('\n', i + 1, to - i - 1) : -1) count++;
                return count;
            }
        }

        private static bool Verify(KratosConfigDocument orig, string newText, List<ConfigFileTarget.Slot> slots, bool enable, ref Edit edit)
        {
            List<YNode> items;
            var o = orig.Text;
            var seq = orig.Providers;
            if (orig.Json || seq == null || seq.Flow || seq.Items.Count == 0) return false;
            if (orig.Doc.DocumentCount != 1 || orig.Doc.HasAliases || orig.Doc.Anchors.Count > 0 || seq.HasAnchorOrTag) return false;
            if (enable && !EnabledIsTrue(orig)) return false;
            if (string.Equals(o, newText, StringComparison.Ordinal)) return false;
            // The reasoning below goes by lines ending in LF (or CRLF); a reader may also break lines at
            // a lone CR, NEL, LS or PS, so text holding one of those is not judged here.
            if (OtherBreaks(o) || OtherBreaks(newText)) return false;

            // 1. The changed region, in whole lines.
            int lo = o.Length, ln = newText.Length, max = Math.Min(lo, ln);
            int p = CommonPrefix(o, newText, max);
            int a = YamlText.LineStart(o, p);
            // The common suffix may reach back to a (not only to p): where inserted or deleted lines
            // repeat their neighbours' text, this keeps the region to whole lines.
            int s = CommonSuffix(o, newText, max - a);
            int q = lo - s;
            if (q > a && q < lo && o[q - 1] != '\n') q = YamlText.NextLineStart(o, q);
            if (q < lo && q > 0 && o[q - 1] != '\n') return false;
            // Widen the region to whole items: an edit inside an entry changes the entry, and lines
            // added right after an entry could belong to it, so that entry is taken in too.
            int a0 = a, q0 = q;
            foreach (var it in seq.Items)
            {
                int from = YamlText.LineStart(o, orig.DashOf(it)), to = YamlText.NextLineStart(o, it.End);
                if (from < a0 && to >= a0) a = Math.Min(a, from);
                if (from < q0 && to > q0) q = Math.Max(q, to);
            }
            int qn = q + (ln - lo);
            if (qn < a || (qn > a && qn < ln && newText[qn - 1] != '\n')) return false;
            if (q > a && q == lo && o[lo - 1] != '\n') return false; // the region would end inside the last line
            if (qn > a && qn == ln && newText[ln - 1] != '\n') return false;

            // 2. The original items: wholly before, inside or after [a, q); all dashes at one column.
            int c = -1, before = 0, inside = 0, after = 0;
            var lastBefore = (YNode)null;
            var spans = new List<(int From, int To)>();
            foreach (var it in seq.Items)
            {
                int dash = orig.DashOf(it);
                if (!YamlText.OnlySpacesBefore(o, dash) || HasTab(o, YamlText.LineStart(o, dash), dash)) return false;
                int col = YamlText.Col(o, dash);
                if (c < 0) c = col; else if (col != c) return false;
                int from = YamlText.LineStart(o, dash), to = YamlText.NextLineStart(o, it.End);
                if (to <= a) { if (inside > 0 || after > 0) return false; before++; lastBefore = it; }
                else if (from >= q) after++;
                else if (from >= a && to <= q) { if (after > 0) return false; inside++; spans.Add((from, to)); }
                else return false;
            }
            if (before == 0 && inside == 0) return false; // the region must sit inside the list
            if (lastBefore != null && !KratosConfigDocument.ValueFromTextAlone(lastBefore)) return false;
            // Between the last item before the region and the region: only blank or comment lines.
            if (lastBefore != null && !OnlyBlankOrComments(o, YamlText.NextLineStart(o, lastBefore.End), a)) return false;
            // Every content line of R belongs to an item inside it.
            for (int ls = a; ls < q; ls = YamlText.NextLineStart(o, ls))
            {
                if (IsBlankOrComment(o, ls)) continue;
                bool covered = false;
                foreach (var sp in spans) if (ls >= sp.From && ls < sp.To) { covered = true; break; }
                if (!covered) return false;
                if (YamlText.NextLineStart(o, ls) == ls) break;
            }
            // 4. What follows: its first content line is indented at most c.
            int next = FirstContentLine(o, q);
            if (next >= 0 && (YamlText.Indent(o, next) > c || HasTab(o, next, next + YamlText.Indent(o, next)))) return false;
            if (next >= 0 && after > 0 && YamlText.LineStart(o, orig.DashOf(seq.Items[before + inside])) != next) return false;

            // Slots outside the region are the original items, in order.
            int newInside = slots.Count - before - after;
            if (newInside < 0) return false;
            for (int i = 0; i < before; i++) if (!ReferenceEquals(slots[i].Orig, seq.Items[i])) return false;
            for (int j = 0; j < after; j++) if (!ReferenceEquals(slots[before + newInside + j].Orig, seq.Items[before + inside + j])) return false;

            // 3. The new lines, read alone.
            var r = newText.Substring(a, qn - a);
            var readItems = new List<YNode>();
            bool content = false;
            for (int ls = 0; ls < r.Length; )
            {
                int le = YamlText.NextLineStart(r, ls);
                if (!IsBlankOrComment(r, ls))
                {
                    int ind = YamlText.Indent(r, ls);
                    if (HasTab(r, ls, ls + ind)) return false;
                    bool dashLine = ind == c && ls + ind < r.Length && r[ls + ind] == '-'
                        && (ls + ind + 1 >= r.Length || r[ls + ind + 1] == ' ' || r[ls + ind + 1] == '\r' || r[ls + ind + 1] == '\n');
                    if (!content && !dashLine) return false; // the first content line starts an item
                    if (ind < c || (ind == c && !dashLine)) return false;
                    content = true;
                }
                if (le == ls) break;
                ls = le;
            }
            YSequence rs = null;
            if (content)
            {
                var y = YamlTreeReader.Parse(r);
                if (y.DocumentCount != 1 || y.HasAliases || y.Anchors.Count > 0) return false;
                rs = y.Root as YSequence;
                if (rs == null || rs.Flow || rs.HasAnchorOrTag || rs.Column - 1 != c) return false;
                readItems.AddRange(rs.Items);
            }
            if (readItems.Count != newInside) return false;
            for (int j = 0; j < newInside; j++)
            {
                var slot = slots[before + j];
                var n = readItems[j];
                if (!KratosConfigDocument.ValueFromTextAlone(n)) return false;
                if (slot.Orig != null)
                {
                    // An untouched entry inside the region: same bytes, and one of the replaced originals.
                    int k = seq.Items.IndexOf(slot.Orig);
                    if (k < before || k >= before + inside) return false;
                    var so = slot.Orig;
                    if (so.End - so.Start != n.End - n.Start || string.CompareOrdinal(o, so.Start, r, n.Start, so.End - so.Start) != 0) return false;
                    if (!KratosConfigDocument.ValueFromTextAlone(so)) return false;
                }
                else if (!ConfigFileTarget.PlainEquals(slot.Intended, orig.Plain(n))) return false;
            }

            items = new List<YNode>(slots.Count);
            for (int i = 0; i < before; i++) items.Add(seq.Items[i]);
            items.AddRange(readItems);
            for (int j = 0; j < after; j++) items.Add(seq.Items[before + inside + j]);
            edit = new Edit
            {
                Orig = orig, NewText = newText, Items = items, A = a, Q = q, QN = qn,
                Before = before, Inside = inside, After = after, Read = rs,
            };
            return true;
        }

        private const int Block = 256;

        /// <summary>Length of the common prefix of x and y, at most max (whole blocks compared first: CompareOrdinal is vectorised).</summary>
        internal static int CommonPrefix(string x, string y, int max)
        {
            int p = 0;
            while (p + Block <= max && string.CompareOrdinal(x, p, y, p, Block) == 0) p += Block;
            while (p < max && x[p] == y[p]) p++;
            return p;
        }

        /// <summary>Length of the common suffix of x and y, at most max.</summary>
        internal static int CommonSuffix(string x, string y, int max)
        {
            int s = 0;
            while (s + Block <= max && string.CompareOrdinal(x, x.Length - s - Block, y, y.Length - s - Block, Block) == 0) s += Block;
            while (s < max && x[x.Length - 1 - s] == y[y.Length - 1 - s]) s++;
            return s;
        }

        /// <summary>oidc.enabled reads as true (KratosConfigDocument.OidcEnabled) from a plain value of its own.</summary>
        private static bool EnabledIsTrue(KratosConfigDocument d)
            => d.OidcEnabled && !d.Oidc.FindAll("enabled")[0].Value.HasAnchorOrTag;

        private static readonly char[] Breaks = { '\r', '\u0085', '\u2028', '\u2029' };

        private static bool OtherBreaks(string t)
        {
            for (int i = t.IndexOfAny(Breaks); i >= 0; i = i + 1 < t.Length ? t.IndexOfAny(Breaks, i + 1) : -1)
                if (t[i] != '\r' || i + 1 >= t.Length || t[i + 1] != '\n') return true;
            return false;
        }

        private static bool HasTab(string t, int from, int to)
        {
            for (int i = from; i < to && i < t.Length; i++) if (t[i] == '\t') return true;
            return false;
        }

        /// <summary>Whether the line starting at ls holds only spaces/tabs, or a comment after them.</summary>
        private static bool IsBlankOrComment(string t, int ls)
        {
            int i = ls;
            while (i < t.Length && (t[i] == ' ' || t[i] == '\t')) i++;
            return i >= t.Length || t[i] == '\n' || t[i] == '\r' || t[i] == '#';
        }

        private static bool OnlyBlankOrComments(string t, int from, int to)
        {
            var first = FirstContentLine(t, from);
            return first < 0 || first >= to;
        }

        /// <summary>Start of the first line at or after ls that is not blank or a comment; -1 at the end.</summary>
        private static int FirstContentLine(string t, int ls)
        {
            while (ls < t.Length)
            {
                if (!IsBlankOrComment(t, ls)) return ls;
                int le = YamlText.NextLineStart(t, ls);
                if (le == ls) break;
                ls = le;
            }
            return -1;
        }
    }
}
