using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>A node of a YAML/JSON document with the character span it occupies in the text.</summary>
    internal abstract class YNode
    {
        /// <summary>Index of the node's first character (for a block sequence: its first dash).</summary>
        public int Start;
        /// <summary>Index after the node's last content character (comments and line breaks after it excluded).</summary>
        public int End;
        /// <summary>1-based line and column of Start.</summary>
        public int Line, Column;
        public string Anchor;
        public string Tag;
        public bool Flow;

        public bool HasAnchorOrTag => !string.IsNullOrEmpty(Anchor) || !string.IsNullOrEmpty(Tag);
    }

    internal sealed class YScalar : YNode
    {
        public string Value;
        public ScalarStyle Style;
        public bool IsPlain => Style == ScalarStyle.Plain;
        /// <summary>An empty plain scalar (`key:` with nothing after it): null.</summary>
        public bool IsEmptyNull => Style == ScalarStyle.Plain && Value.Length == 0;
    }

    internal sealed class YAlias : YNode
    {
        public string Name;
    }

    internal sealed class YPair
    {
        public YNode Key;
        public YNode Value;
        public string KeyText => (Key as YScalar)?.Value;
    }

    internal sealed class YMapping : YNode
    {
        public readonly List<YPair> Pairs = new List<YPair>();

        public List<YPair> FindAll(string key)
        {
            var r = new List<YPair>();
            foreach (var p in Pairs) if (p.KeyText == key) r.Add(p);
            return r;
        }

        public bool HasMergeKey
        {
            get
            {
                foreach (var p in Pairs)
                    if (p.Key is YScalar s && s.IsPlain && s.Value == "<<") return true;
                return false;
            }
        }
    }

    internal sealed class YSequence : YNode
    {
        public readonly List<YNode> Items = new List<YNode>();
    }

    internal sealed class YDocument
    {
        public string Text;
        public YNode Root;
        public int DocumentCount;
        public int SecondDocumentLine;
        public bool HasAliases;
        public readonly Dictionary<string, YNode> Anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
    }

    /// <summary>
    /// Builds a position-aware tree from YamlDotNet's low-level parser events. JSON is parsed by
    /// the same parser (it is YAML flow syntax).
    /// </summary>
    internal static class YamlTreeReader
    {
        /// <summary>Parses text; throws YamlException (with Start mark) when it isn't YAML.</summary>
        public static YDocument Parse(string text)
        {
            var doc = new YDocument { Text = text };
            var parser = new TrackingParser(new Parser(new StringReader(text)));
            try
            {
                parser.Consume<StreamStart>();
                while (parser.TryConsume<DocumentStart>(out var ds))
                {
                    doc.DocumentCount++;
                    if (doc.DocumentCount == 2) doc.SecondDocumentLine = (int)ds.Start.Line;
                    var node = ReadNode(parser, doc);
                    if (doc.DocumentCount == 1) doc.Root = node;
                    parser.Consume<DocumentEnd>();
                }
                parser.Consume<StreamEnd>();
            }
            catch (InvalidOperationException ex)
            {
                // YamlDotNet's scanner gives up this way on some malformed input: report where reading stopped.
                throw new YamlException(parser.Last, parser.Last, "unexpected content after this point", ex);
            }
            return doc;
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

        private static void Common(YNode n, ParsingEvent e, NodeEvent ne, YDocument doc)
        {
            n.Start = (int)e.Start.Index;
            n.End = (int)e.End.Index;
            n.Line = (int)e.Start.Line;
            n.Column = (int)e.Start.Column;
            if (ne != null)
            {
                if (!ne.Anchor.IsEmpty) { n.Anchor = ne.Anchor.Value; doc.Anchors[n.Anchor] = n; }
                if (!ne.Tag.IsEmpty) n.Tag = ne.Tag.Value;
            }
        }

        private static YNode ReadNode(IParser parser, YDocument doc)
        {
            var ev = parser.Current;
            string text = doc.Text;
            switch (ev)
            {
                case Scalar s:
                {
                    parser.MoveNext();
                    var n = new YScalar { Value = s.Value, Style = s.Style };
                    Common(n, s, s, doc);
                    // Anchors and tags come before the scalar's text: Start is where they begin, that's fine for spans.
                    if (s.Style == ScalarStyle.Literal || s.Style == ScalarStyle.Folded)
                    {
                        // The block scalar's end mark sits after its trailing line breaks: pull it back to the content.
                        int e = n.End;
                        while (e > n.Start && char.IsWhiteSpace(text[e - 1])) e--;
                        n.End = e;
                    }
                    if (n.End > text.Length) n.End = text.Length;
                    return n;
                }
                case AnchorAlias a:
                {
                    parser.MoveNext();
                    doc.HasAliases = true;
                    var n = new YAlias { Name = a.Value.Value };
                    Common(n, a, null, doc);
                    return n;
                }
                case MappingStart ms:
                {
                    parser.MoveNext();
                    var n = new YMapping { Flow = ms.Style == MappingStyle.Flow };
                    Common(n, ms, ms, doc);
                    while (!(parser.Current is MappingEnd))
                    {
                        var k = ReadNode(parser, doc);
                        var v = ReadNode(parser, doc);
                        if (v is YScalar vs && vs.IsEmptyNull && string.IsNullOrEmpty(vs.Tag) && string.IsNullOrEmpty(vs.Anchor))
                        {
                            // `key:` with no value: its span is the point right after the colon.
                            int c = k.End;
                            while (c < text.Length && (text[c] == ' ' || text[c] == '\t')) c++;
                            if (c < text.Length && text[c] == ':') { vs.Start = vs.End = c + 1; }
                        }
                        n.Pairs.Add(new YPair { Key = k, Value = v });
                    }
                    var me = parser.Current;
                    parser.MoveNext();
                    n.End = n.Flow ? FlowEnd(text, (int)me.Start.Index, '}') : BlockEnd(n, n.Pairs.Count == 0 ? null : n.Pairs[n.Pairs.Count - 1].Value);
                    return n;
                }
                case SequenceStart ss:
                {
                    parser.MoveNext();
                    var n = new YSequence { Flow = ss.Style == SequenceStyle.Flow };
                    Common(n, ss, ss, doc);
                    while (!(parser.Current is SequenceEnd))
                        n.Items.Add(ReadNode(parser, doc));
                    var se = parser.Current;
                    parser.MoveNext();
                    n.End = n.Flow ? FlowEnd(text, (int)se.Start.Index, ']') : BlockEnd(n, n.Items.Count == 0 ? null : n.Items[n.Items.Count - 1]);
                    return n;
                }
                default:
                    throw new YamlException(ev.Start, ev.End, "Unexpected YAML event " + ev.GetType().Name);
            }
        }

        private static int BlockEnd(YNode n, YNode last) => last == null ? n.Start : Math.Max(last.End, n.Start);

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
