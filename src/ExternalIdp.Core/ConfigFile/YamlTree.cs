using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>A node of a YAML/JSON document with the character span it occupies in the text (immutable once built).</summary>
    internal abstract class YNode
    {
        /// <summary>Index of the node's first character (for a block sequence: its first dash).</summary>
        public readonly int Start;
        /// <summary>Index after the node's last content character (comments and line breaks after it excluded).</summary>
        public readonly int End;
        /// <summary>1-based line and column of Start.</summary>
        public readonly int Line, Column;
        public readonly string Anchor;
        public readonly string Tag;
        public readonly bool Flow;

        protected YNode(in NodeSpan span, string anchor, string tag, bool flow)
        {
            Start = span.Start; End = span.End; Line = span.Line; Column = span.Column;
            Anchor = anchor; Tag = tag; Flow = flow;
        }

        public bool HasAnchorOrTag => !string.IsNullOrEmpty(Anchor) || !string.IsNullOrEmpty(Tag);
    }

    /// <summary>Where a node sits: its character span and the line and column of its start.</summary>
    internal readonly struct NodeSpan
    {
        public readonly int Start, End, Line, Column;
        public NodeSpan(int start, int end, int line, int column) { Start = start; End = end; Line = line; Column = column; }
        public NodeSpan WithEnd(int end) => new NodeSpan(Start, end, Line, Column);
    }

    internal sealed class YScalar : YNode
    {
        public readonly string Value;
        public readonly ScalarStyle Style;
        public YScalar(in NodeSpan span, string anchor, string tag, string value, ScalarStyle style)
            : base(span, anchor, tag, false) { Value = value; Style = style; }
        public bool IsPlain => Style == ScalarStyle.Plain;
        /// <summary>An empty plain scalar (`key:` with nothing after it): null.</summary>
        public bool IsEmptyNull => Style == ScalarStyle.Plain && Value.Length == 0;
    }

    internal sealed class YAlias : YNode
    {
        public readonly string Name;
        public YAlias(in NodeSpan span, string name) : base(span, null, null, false) { Name = name; }
    }

    internal sealed class YPair
    {
        public readonly YNode Key;
        public readonly YNode Value;
        public YPair(YNode key, YNode value) { Key = key; Value = value; }
        public string KeyText => (Key as YScalar)?.Value;
    }

    internal sealed class YMapping : YNode
    {
        public readonly ReadOnlyCollection<YPair> Pairs;

        public YMapping(in NodeSpan span, string anchor, string tag, bool flow, IList<YPair> pairs)
            : base(span, anchor, tag, flow) { Pairs = new ReadOnlyCollection<YPair>(pairs); }

        public List<YPair> FindAll(string key)
        {
            var r = new List<YPair>();
            foreach (var p in Pairs) if (p.KeyText == key) r.Add(p);
            return r;
        }

        /// <summary>The first merge-key pair ("&lt;&lt;": ...), or null.</summary>
        public YPair MergePair
        {
            get
            {
                foreach (var p in Pairs)
                    if (p.Key is YScalar s && s.IsPlain && s.Value == "<<") return p;
                return null;
            }
        }

        public bool HasMergeKey => MergePair != null;
    }

    internal sealed class YSequence : YNode
    {
        public readonly ReadOnlyCollection<YNode> Items;

        public YSequence(in NodeSpan span, string anchor, string tag, bool flow, IList<YNode> items)
            : base(span, anchor, tag, flow) { Items = new ReadOnlyCollection<YNode>(items); }
    }

    internal sealed class YDocument
    {
        public readonly string Text;
        public readonly YNode Root;
        public readonly int DocumentCount;
        public readonly int SecondDocumentLine;
        public readonly bool HasAliases;
        public readonly IReadOnlyDictionary<string, YNode> Anchors;

        public YDocument(string text, YNode root, int documentCount, int secondDocumentLine, bool hasAliases, IDictionary<string, YNode> anchors)
        {
            Text = text; Root = root; DocumentCount = documentCount; SecondDocumentLine = secondDocumentLine; HasAliases = hasAliases;
            Anchors = new ReadOnlyDictionary<string, YNode>(anchors ?? new Dictionary<string, YNode>(StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// Builds a position-aware tree from YamlDotNet's low-level parser events. JSON is parsed by
    /// the same parser (it is YAML flow syntax).
    /// </summary>
    internal static class YamlTreeReader
    {
        /// <summary>What one parse collects besides the tree.</summary>
        private sealed class State
        {
            public string Text;
            public bool HasAliases;
            public readonly Dictionary<string, YNode> Anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        }

        /// <summary>Parses text; throws YamlException (with Start mark) when it isn't YAML.</summary>
        public static YDocument Parse(string text)
        {
            var st = new State { Text = text };
            YNode root = null;
            int count = 0, secondLine = 0;
            var parser = new TrackingParser(new Parser(new StringReader(text)));
            try
            {
                parser.Consume<StreamStart>();
                while (parser.TryConsume<DocumentStart>(out var ds))
                {
                    count++;
                    if (count == 2) secondLine = (int)ds.Start.Line;
                    var node = ReadNode(parser, st);
                    if (count == 1) root = node;
                    parser.Consume<DocumentEnd>();
                }
                parser.Consume<StreamEnd>();
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ArgumentException || ex is FormatException)
            {
                // YamlDotNet's scanner gives up this way on some malformed input: report where reading stopped.
                throw new YamlException(parser.Last, parser.Last, "unexpected content after this point", ex);
            }
            return new YDocument(text, root, count, secondLine, st.HasAliases, st.Anchors);
        }

        /// <summary>Remembers where the last event ended, for errors the parser reports without a position.</summary>
        private sealed class TrackingParser : IParser
        {
            private readonly IParser _inner;
            public Mark Last = Mark.Empty;
            public TrackingParser(IParser inner) { _inner = inner; }
            public ParsingEvent Current => _inner.Current;
            public bool MoveNext()
            {
                if (_inner.Current != null) Last = _inner.Current.End;
                return _inner.MoveNext();
            }
        }

        private static NodeSpan SpanOf(ParsingEvent e) => new NodeSpan((int)e.Start.Index, (int)e.End.Index, (int)e.Start.Line, (int)e.Start.Column);

        private static string AnchorOf(NodeEvent ne) => ne.Anchor.IsEmpty ? null : ne.Anchor.Value;
        private static string TagOf(NodeEvent ne) => ne.Tag.IsEmpty ? null : ne.Tag.Value;

        private static T Anchored<T>(T n, State st) where T : YNode
        {
            // A reused anchor name means the latest definition in the text (collections are built
            // after their content, so compare positions rather than trust the order of building).
            if (n.Anchor != null && (!st.Anchors.TryGetValue(n.Anchor, out var had) || had.Start < n.Start)) st.Anchors[n.Anchor] = n;
            return n;
        }

        private static YNode ReadNode(IParser parser, State st)
        {
            var ev = parser.Current;
            string text = st.Text;
            switch (ev)
            {
                case Scalar s:
                {
                    parser.MoveNext();
                    var span = SpanOf(s);
                    // Anchors and tags come before the scalar's text: Start is where they begin, that's fine for spans.
                    int end = span.End;
                    if (s.Style == ScalarStyle.Literal || s.Style == ScalarStyle.Folded)
                    {
                        // The block scalar's end mark sits after its trailing line breaks: pull it back to the content.
                        while (end > span.Start && char.IsWhiteSpace(text[end - 1])) end--;
                    }
                    if (end > text.Length) end = text.Length;
                    return Anchored(new YScalar(span.WithEnd(end), AnchorOf(s), TagOf(s), s.Value, s.Style), st);
                }
                case AnchorAlias a:
                {
                    parser.MoveNext();
                    st.HasAliases = true;
                    return new YAlias(SpanOf(a), a.Value.Value);
                }
                case MappingStart ms:
                {
                    parser.MoveNext();
                    var span = SpanOf(ms);
                    bool flow = ms.Style == MappingStyle.Flow;
                    var pairs = new List<YPair>();
                    while (!(parser.Current is MappingEnd))
                    {
                        var k = ReadNode(parser, st);
                        var v = ReadNode(parser, st);
                        if (v is YScalar vs && vs.IsEmptyNull && string.IsNullOrEmpty(vs.Tag) && string.IsNullOrEmpty(vs.Anchor))
                        {
                            // `key:` with no value: its span is the point right after the colon.
                            int c = k.End;
                            while (c < text.Length && (text[c] == ' ' || text[c] == '\t')) c++;
                            if (c < text.Length && text[c] == ':')
                                v = new YScalar(new NodeSpan(c + 1, c + 1, vs.Line, vs.Column), null, null, vs.Value, vs.Style);
                        }
                        pairs.Add(new YPair(k, v));
                    }
                    var me = parser.Current;
                    parser.MoveNext();
                    int end = flow ? FlowEnd(text, (int)me.Start.Index, '}') : BlockEnd(span.Start, pairs.Count == 0 ? null : pairs[pairs.Count - 1].Value);
                    return Anchored(new YMapping(span.WithEnd(end), AnchorOf(ms), TagOf(ms), flow, pairs), st);
                }
                case SequenceStart ss:
                {
                    parser.MoveNext();
                    var span = SpanOf(ss);
                    bool flow = ss.Style == SequenceStyle.Flow;
                    var items = new List<YNode>();
                    while (!(parser.Current is SequenceEnd))
                        items.Add(ReadNode(parser, st));
                    var se = parser.Current;
                    parser.MoveNext();
                    int end = flow ? FlowEnd(text, (int)se.Start.Index, ']') : BlockEnd(span.Start, items.Count == 0 ? null : items[items.Count - 1]);
                    return Anchored(new YSequence(span.WithEnd(end), AnchorOf(ss), TagOf(ss), flow, items), st);
                }
                default:
                    throw new YamlException(ev.Start, ev.End, "Unexpected YAML event " + ev.GetType().Name);
            }
        }

        /// <summary>Where a block collection ends: after its last child (at its start when it has none).</summary>
        private static int BlockEnd(int start, YNode last) => last == null ? start : Math.Max(last.End, start);

        private static int FlowEnd(string text, int at, char close)
        {
            if (at < text.Length && text[at] == close) return at + 1;
            if (at > 0 && at <= text.Length && text[at - 1] == close) return at;
            int i = at;
            while (i < text.Length && text[i] != close) i++;
            return Math.Min(i + 1, text.Length);
        }
    }
}
