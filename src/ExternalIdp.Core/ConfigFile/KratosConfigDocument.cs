using System;
using System.Collections.Generic;
using System.Linq;
using YamlDotNet.Core;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// A Kratos config (or a bigger YAML holding one under a dotted root) as text plus its
    /// position-aware tree: finds the providers list and computes text edits that change only
    /// what an operation must change.
    /// </summary>
    internal sealed class KratosConfigDocument
    {
        public static readonly string[] Chain = { "selfservice", "methods", "oidc", "config", "providers" };
        internal const int OidcLevel = 3; // Containers[3] is the oidc mapping (Chain[2])

        public readonly string Path;
        public readonly string ConfigRoot;
        public readonly string Text;
        public readonly bool Json;
        public readonly string NL;
        public readonly YDocument Doc;

        /// <summary>The mapping the Kratos config lives in (document root or -ConfigRoot).</summary>
        public YMapping KRoot { get; private set; }
        /// <summary>Parent of KRoot (null at document root).</summary>
        private YMapping _kRootParent;
        private YPair _kRootPair;

        /// <summary>Containers[i] holds key Chain[i]; null when not reached.</summary>
        public readonly YMapping[] Containers = new YMapping[Chain.Length];
        /// <summary>Pairs[i] is the pair of Chain[i] in Containers[i]; null when missing.</summary>
        public readonly YPair[] Pairs = new YPair[Chain.Length];
        /// <summary>The providers list; null when missing or null-valued.</summary>
        public YSequence Providers { get; private set; }
        /// <summary>First level whose key is missing or whose value is null (Chain.Length when the list exists).</summary>
        public int StopLevel { get; private set; } = Chain.Length;
        /// <summary>Why the path can't be edited in place (anchors, aliases, tags, merge keys), or null.</summary>
        public string EditProblem { get; private set; }

        public YMapping Oidc => Containers[OidcLevel];
        public YMapping OidcConfig => Containers[OidcLevel + 1];

        public KratosConfigDocument(string path, string configRoot, string text, bool json, YDocument doc)
        {
            Path = path;
            ConfigRoot = configRoot;
            Text = text;
            Json = json;
            Doc = doc;
            int crlf = text.IndexOf("\r\n", StringComparison.Ordinal), lf = text.IndexOf('\n');
            NL = crlf >= 0 && crlf + 1 == lf ? "\r\n" : "\n";
            Locate();
        }

        private string Where(YNode n) => $"line {n.Line}";

        public ExternalIdpException Invalid(string message)
            => new ExternalIdpException(ErrorIds.ConfigFileInvalid, ErrorKind.InvalidData, $"{Path}: {message}", Path);

        public ExternalIdpException Unsupported(string message)
            => new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidData, $"{Path}: {message}", Path);

        private string RootName => string.IsNullOrEmpty(ConfigRoot) ? "" : ConfigRoot + ".";

        private void NoteProblem(string problem) { if (EditProblem == null) EditProblem = problem; }

        /// <summary>The value of key in m: null when missing. Duplicates refused; aliases resolved (and noted).</summary>
        private YPair Find(YMapping m, string key, string dotted)
        {
            var found = m.FindAll(key);
            if (found.Count > 1)
                throw Unsupported($"the key '{dotted}' appears {found.Count} times ({string.Join(", ", found.Select(p => Where(p.Key)))}); YAML readers disagree about which one counts. Remove the duplicates by hand, then retry.");
            var merge = m.MergePair;
            if (merge != null)
            {
                NoteProblem($"the mapping holding '{dotted}' uses a merge key '<<' ({Where(merge.Key)}), which can't be edited in place. Write that mapping out without '<<', then retry.");
                if (found.Count == 0)
                    throw Unsupported($"'{dotted}' may come from the merge key '<<' at {Where(merge.Key)}, which ExternalIdp doesn't follow. Write that mapping out without '<<', then retry.");
            }
            return found.Count == 0 ? null : found[0];
        }

        private YNode Deref(YNode n, string dotted)
        {
            if (n is YAlias a)
            {
                NoteProblem($"'{dotted}' is an alias (*{a.Name}, {Where(a)}); editing it would change the anchored node too. Replace the alias with the content, then retry.");
                if (!Doc.Anchors.TryGetValue(a.Name, out var target))
                    throw Invalid($"'{dotted}' ({Where(a)}) is an alias to an unknown anchor '{a.Name}'. Fix the alias.");
                return target;
            }
            if (!string.IsNullOrEmpty(n.Anchor))
                NoteProblem($"'{dotted}' carries an anchor (&{n.Anchor}, {Where(n)}) that other parts of the file may reuse; editing it would change them too. Remove the anchor (and its aliases), then retry.");
            if (!string.IsNullOrEmpty(n.Tag))
                NoteProblem($"'{dotted}' carries a tag ({n.Tag}, {Where(n)}), which ExternalIdp doesn't edit. Remove the tag, then retry.");
            return n;
        }

        private static bool IsNull(YNode n) => n is YScalar s && YamlText.Resolve(s) == null;

        private void Locate()
        {
            if (Doc.Root == null)
                throw Invalid("the file holds no YAML document. Give a Kratos config file (a YAML or JSON mapping with serve, selfservice, ...).");
            var rootNode = Deref(Doc.Root, "(document)");
            if (!(rootNode is YMapping root))
                throw Invalid($"the document's root ({Where(rootNode)}) is not a mapping, so this is not a Kratos config. Give the Kratos config file (or -ConfigRoot for a config nested in a bigger YAML).");
            YMapping cur = root;
            string dotted = "";
            if (!string.IsNullOrEmpty(ConfigRoot))
            {
                foreach (var seg in ConfigRoot.Split('.'))
                {
                    dotted = dotted.Length == 0 ? seg : dotted + "." + seg;
                    var p = seg.Length == 0 ? null : Find(cur, seg, dotted);
                    if (p == null)
                        throw Invalid($"-ConfigRoot '{ConfigRoot}' was not found: there is no '{dotted}' key. Give the dotted path of the Kratos config inside this file (e.g. kratos.config for the Ory Helm chart's values.yaml), or leave -ConfigRoot out for a plain kratos.yml.");
                    var v = Deref(p.Value, dotted);
                    if (!(v is YMapping vm))
                        throw Invalid($"-ConfigRoot '{ConfigRoot}': '{dotted}' ({Where(p.Value)}) is not a mapping. Give the dotted path of the mapping that holds the Kratos config (e.g. kratos.config).");
                    _kRootParent = cur;
                    _kRootPair = p;
                    cur = vm;
                }
            }
            KRoot = cur;
            for (int i = 0; i < Chain.Length; i++)
            {
                Containers[i] = cur;
                dotted = RootName + string.Join(".", Chain.Take(i + 1));
                var p = Find(cur, Chain[i], dotted);
                Pairs[i] = p;
                if (p == null) { StopLevel = i; return; }
                var v = Deref(p.Value, dotted);
                if (IsNull(v)) { StopLevel = i; return; }
                if (i < Chain.Length - 1)
                {
                    if (!(v is YMapping m))
                        throw Invalid($"'{dotted}' ({Where(v)}) is not a mapping. Kratos expects {dotted}.{Chain[i + 1]} there; fix the file.");
                    cur = m;
                }
                else
                {
                    if (!(v is YSequence seq))
                        throw Invalid($"'{dotted}' ({Where(v)}) is not a list. Kratos expects a list of provider entries (providers:\\n  - id: ...); fix the file.");
                    Providers = seq;
                }
            }
        }

        // ------------------------------------------------------------------ reading

        /// <summary>Plain value of a node: null, string, YamlText.Typed, List&lt;object&gt;, Dictionary&lt;string, object&gt;.</summary>
        /// <param name="skip">A node whose value is not computed (null in its place).</param>
        public object Plain(YNode n, int depth = 0, YNode skip = null)
        {
            if (depth > 100) return null;
            if (skip != null && ReferenceEquals(n, skip)) return null;
            switch (n)
            {
                case YScalar s: return YamlText.Resolve(s);
                case YAlias a: return Doc.Anchors.TryGetValue(a.Name, out var t) ? Plain(t, depth + 1, skip) : null;
                case YSequence q: return q.Items.Select(i => Plain(i, depth + 1, skip)).ToList();
                case YMapping m:
                {
                    var d = new Dictionary<string, object>(StringComparer.Ordinal);
                    foreach (var p in m.Pairs)
                    {
                        var k = p.Key is YScalar ks ? ks.Value : "?" + p.Key.Start;
                        d[k] = Plain(p.Value, depth + 1, skip);
                    }
                    return d;
                }
                default: return null;
            }
        }

        /// <summary>
        /// Whether the value of n follows from its text alone, wherever that text sits: no anchors,
        /// aliases, tags or merge keys (their meaning comes from elsewhere), only scalar keys (other
        /// keys are named by position), and no literal or folded scalars (their value can take in
        /// blank lines after the node's span).
        /// </summary>
        public static bool ValueFromTextAlone(YNode n)
        {
            switch (n)
            {
                case YScalar s:
                    return !s.HasAnchorOrTag && s.Style != ScalarStyle.Literal && s.Style != ScalarStyle.Folded;
                case YSequence q:
                    if (q.HasAnchorOrTag) return false;
                    foreach (var i in q.Items) if (!ValueFromTextAlone(i)) return false;
                    return true;
                case YMapping m:
                    if (m.HasAnchorOrTag || m.HasMergeKey) return false;
                    foreach (var p in m.Pairs)
                        if (!(p.Key is YScalar) || !ValueFromTextAlone(p.Key) || !ValueFromTextAlone(p.Value)) return false;
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>An entry as the rules see it: each key's value as read (lists of strings as lists).</summary>
        public ProviderEntry Entry(YMapping m)
        {
            var d = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var p in m.Pairs)
            {
                var k = p.Key is YScalar ks ? ks.Value : "?";
                d[k] = Plain(p.Value);
            }
            return ProviderEntry.FromPlain(d);
        }

        /// <summary>A string value at a dotted path below KRoot, or null.</summary>
        public string StringAt(params string[] keys)
        {
            YNode cur = KRoot;
            foreach (var k in keys)
            {
                if (cur is YAlias a) Doc.Anchors.TryGetValue(a.Name, out cur);
                if (!(cur is YMapping m)) return null;
                var found = m.FindAll(k);
                if (found.Count != 1) return null;
                cur = found[0].Value;
            }
            if (cur is YAlias al) Doc.Anchors.TryGetValue(al.Name, out cur);
            return cur is YScalar s ? YamlText.Resolve(s) as string : null;
        }

        /// <summary>Whether selfservice.methods.oidc.enabled is true.</summary>
        public bool OidcEnabled
        {
            get
            {
                if (Oidc == null) return false;
                var found = Oidc.FindAll("enabled");
                if (found.Count != 1 || !(found[0].Value is YScalar s)) return false;
                var r = YamlText.Resolve(s);
                return r is YamlText.Typed t && t.Kind == "bool" && YamlText.IsTrue(t.Text);
            }
        }

        public string BaseRedirectUri => OidcConfig == null ? null : StringAt(Chain[0], Chain[1], Chain[2], Chain[3], "base_redirect_uri");
        public string PublicBaseUrl => StringAt("serve", "public", "base_url");

        public IReadOnlyList<YNode> Items => Providers == null ? (IReadOnlyList<YNode>)new YNode[0] : Providers.Items;

        /// <summary>The id of an item (null when it is not a mapping or has no string id).</summary>
        public string IdOf(YNode item)
        {
            if (!(item is YMapping m)) return null;
            foreach (var p in m.Pairs)
            {
                if (p.KeyText != FieldTable.Id.Key) continue;
                if (!(p.Value is YScalar s)) return null;
                return YamlText.Resolve(s) as string ?? s.Value;
            }
            return null;
        }

        // ------------------------------------------------------------------ layout

        private int KeyCol(YMapping m) => m.Pairs.Count == 0 ? YamlText.Col(Text, m.Start) : YamlText.Col(Text, m.Pairs[0].Key.Start);

        private int LeadingSpaces(int pos) => YamlText.Indent(Text, YamlText.LineStart(Text, pos));

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
            if (Doc.Root is YMapping r && r.Pairs.Count > 0 && r.Pairs[0].Key.Line != r.Line)
            {
                int d = YamlText.Col(Text, r.Pairs[0].Key.Start) - LeadingSpaces(r.Start);
                if (d > 0) return d;
            }
            return 2;
        }

        private YMapping ParentOf(int level) => level == 0 ? _kRootParent : Containers[level - 1];

        private Layout BaseLayout(YMapping at, int level, YMapping styleFrom = null)
        {
            var l = new Layout { NL = NL, Json = Json, Step = StepAt(at, ParentOf(level)) };
            l.SeqOffset = l.Step;
            // Follow the existing entries' habits (the edited one's, or the last one's): scope style and quoting.
            var lastEntry = styleFrom ?? Items.OfType<YMapping>().LastOrDefault();
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

        // ------------------------------------------------------------------ editing primitives

        private int ColonAfter(YNode key)
        {
            int c = key.End;
            while (c < Text.Length && (Text[c] == ' ' || Text[c] == '\t')) c++;
            if (c < Text.Length && Text[c] == ':') return c;
            throw Unsupported($"can't find the ':' after the key at {Where(key)}. Write the key as 'key: value', then retry.");
        }

        private static int PairEnd(YPair p) => Math.Max(p.Key.End, p.Value.End);

        /// <summary>Adds pairs at the end of mapping m (one edit).</summary>
        private TextEdit InsertPairs(YMapping m, RMap pairs, Layout l)
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
        private TextEdit ReplaceValue(YMapping m, YPair p, object v, Layout l)
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
        private TextEdit DeletePair(YMapping m, YPair p)
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
            throw Unsupported($"can't delete the key '{(p.Key as YScalar)?.Value}' at {Where(p.Key)} in place. Edit the entry by hand.");
        }

        /// <summary>The '-' that starts a block sequence item.</summary>
        internal int DashOf(YNode item)
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
            throw Unsupported($"can't find the '-' of the provider entry at {Where(item)}. Write each entry as '- id: ...', then retry.");
        }

        // ------------------------------------------------------------------ operations

        /// <summary>Edits that append entry (and create what's missing, switch oidc on). enabledNote says what changed about 'enabled'.</summary>
        public List<TextEdit> PlanAdd(RMap entry, out string enabledNote)
        {
            RequireEditable();
            var edits = new List<TextEdit>();
            var pending = new Dictionary<YMapping, RMap>();
            var pendingLevel = new Dictionary<YMapping, int>();
            void Pend(YMapping m, int level, string k, object v)
            {
                if (!pending.TryGetValue(m, out var r)) { pending[m] = r = new RMap(); pendingLevel[m] = level; }
                r.Add(k, v);
            }
            enabledNote = null;
            bool enabledInChain = false;
            if (Providers != null)
            {
                edits.Add(AppendItem(entry));
            }
            else
            {
                int L = StopLevel;
                object value = new[] { entry };
                for (int i = Chain.Length - 1; i > L; i--)
                {
                    var m = new RMap();
                    if (i == OidcLevel) { m.Add("enabled", true); enabledInChain = true; }
                    m.Add(Chain[i], value);
                    value = m;
                }
                var container = Containers[L];
                var (holder, holderPair, holderLevel) = L == 0 ? (_kRootParent, _kRootPair, -1) : (Containers[L - 1], Pairs[L - 1], L - 1);
                if (Pairs[L] == null && container.Flow && container.Pairs.Count == 0 && !Json && holder != null && !holder.Flow && holderPair != null)
                {
                    // `key: {}` in a block file: write the new keys in block style instead of the braces.
                    var inner = new RMap();
                    if (L == OidcLevel) { inner.Add("enabled", true); enabledInChain = true; enabledNote = "Set selfservice.methods.oidc.enabled: true (the OIDC method was not configured)."; }
                    edits.Add(ReplaceValue(holder, holderPair, inner.Add(Chain[L], value), BaseLayout(holder, Math.Max(0, holderLevel))));
                }
                else if (Pairs[L] == null) Pend(container, L, Chain[L], value);
                else edits.Add(ReplaceValue(container, Pairs[L], value, BaseLayout(container, L)));
                if (L <= 1) enabledNote = "Created selfservice.methods.oidc with enabled: true.";
                else if (L == 2) enabledNote = "Created selfservice.methods.oidc with enabled: true (the OIDC method was not configured).";
            }
            if (!enabledInChain && Oidc != null)
            {
                var en = Oidc.FindAll("enabled");
                if (en.Count > 1) throw Unsupported($"'enabled' appears {en.Count} times under selfservice.methods.oidc. Remove the duplicates, then retry.");
                if (en.Count == 0)
                {
                    Pend(Oidc, OidcLevel, "enabled", true);
                    enabledNote = "Set selfservice.methods.oidc.enabled: true (it was missing, so the OIDC method was off).";
                }
                else if (!OidcEnabled)
                {
                    var ev = en[0].Value;
                    if (ev.HasAnchorOrTag || ev is YAlias) throw Unsupported($"selfservice.methods.oidc.enabled ({Where(ev)}) has an anchor, alias or tag. Set it to true by hand, then retry.");
                    edits.Add(ReplaceValue(Oidc, en[0], true, BaseLayout(Oidc, OidcLevel)));
                    enabledNote = $"Switched selfservice.methods.oidc.enabled from '{IdpRules.Printable((ev as YScalar)?.Value ?? "?")}' to true: the OIDC method was off.";
                }
            }
            // Deeper insertions first, so that at a shared point the nested text precedes the outer key.
            foreach (var kv in pending.OrderByDescending(k => pendingLevel[k.Key]))
                edits.Add(InsertPairs(kv.Key, kv.Value, BaseLayout(kv.Key, pendingLevel[kv.Key])));
            return edits;
        }

        private void RequireEditable()
        {
            if (EditProblem != null) throw Unsupported(EditProblem);
            if (Providers != null && (Providers.HasAnchorOrTag))
                throw Unsupported($"the providers list ({Where(Providers)}) carries an anchor or a tag, which ExternalIdp doesn't edit. Remove it, then retry.");
        }

        private TextEdit AppendItem(RMap entry)
        {
            var seq = Providers;
            var l = BaseLayout(OidcConfig, OidcLevel + 1);
            if (seq.Flow || Json)
            {
                if (seq.Items.Count == 0)
                {
                    var pair = Pairs[Chain.Length - 1];
                    if (!Json && !OidcConfig.Flow)
                        return ReplaceValue(OidcConfig, pair, new[] { entry }, l);
                    int baseIndent = LeadingSpaces(seq.Start);
                    return new TextEdit(seq.Start, seq.End, Render.Flow(new[] { entry }, baseIndent, Json, l));
                }
                var last = seq.Items[seq.Items.Count - 1];
                bool multi = last.Line != seq.Line;
                int col = multi ? YamlText.Col(Text, last.Start) : 0;
                var ml = l.Clone();
                bool itemMulti = Json && last is YMapping lm && lm.Pairs.Count > 0 && lm.Pairs[0].Key.Line != lm.Line;
                if (itemMulti) ml.Step = YamlText.Col(Text, ((YMapping)last).Pairs[0].Key.Start) - col;
                var sep = multi ? "," + NL + YamlText.Spaces(col) : ", ";
                return new TextEdit(last.End, last.End, sep + Render.Flow(entry, col, itemMulti, ml));
            }
            // Block list: follow the last mapping item's dash/key columns.
            var model = seq.Items.OfType<YMapping>().LastOrDefault(m => !m.Flow && m.Pairs.Count > 0);
            int dashCol, keyCol;
            bool bare;
            if (model != null)
            {
                int dash = DashOf(model);
                dashCol = YamlText.Col(Text, dash);
                keyCol = YamlText.Col(Text, model.Start);
                bare = Text.IndexOf('\n', dash, model.Start - dash) >= 0; // the mapping starts on a line of its own
                if (!bare && keyCol <= dashCol) keyCol = dashCol + 2;
            }
            else
            {
                dashCol = YamlText.Col(Text, seq.Start);
                keyCol = dashCol + 2;
                bare = false;
            }
            // Entries separated by blank lines get one too.
            bool blank = seq.Items.Count >= 2 && BlankLineBefore(DashOf(seq.Items[seq.Items.Count - 1]));
            int at = YamlText.LineEnd(Text, seq.End);
            return new TextEdit(at, at, (blank ? NL : "") + NL + Render.BlockItem(entry, dashCol, keyCol, bare, l));
        }

        /// <summary>Deletes whole lines [from, to); at the end of a file without a final line break, the break before them goes instead.</summary>
        private TextEdit DeleteLines(int from, int to)
        {
            if (to == Text.Length && Text.Length > 0 && Text[Text.Length - 1] != '\n' && from > 0)
            {
                from--;
                if (from > 0 && Text[from] == '\n' && Text[from - 1] == '\r') from--;
            }
            return new TextEdit(from, to, "");
        }

        /// <summary>Whether the line above the one holding pos is blank (spaces only).</summary>
        private bool BlankLineBefore(int pos)
        {
            int ls = YamlText.LineStart(Text, pos);
            if (ls == 0) return false;
            int prev = YamlText.LineStart(Text, ls - 1);
            return Text.Substring(prev, ls - prev).Trim().Length == 0;
        }

        /// <summary>Edits that remove item (leaving providers: [] when it is the last one).</summary>
        public List<TextEdit> PlanRemove(YNode item)
        {
            RequireEditable();
            var seq = Providers;
            int idx = seq.Items.IndexOf(item);
            if (seq.Items.Count == 1)
            {
                if (seq.Flow || Json) return new List<TextEdit> { new TextEdit(seq.Start, seq.End, "[]") };
                var pair = Pairs[Chain.Length - 1];
                int colon = ColonAfter(pair.Key);
                return new List<TextEdit> { new TextEdit(colon + 1, YamlText.LineEnd(Text, item.End), " []") };
            }
            if (seq.Flow || Json)
            {
                if (idx < seq.Items.Count - 1) return new List<TextEdit> { new TextEdit(item.Start, seq.Items[idx + 1].Start, "") };
                return new List<TextEdit> { new TextEdit(seq.Items[idx - 1].End, item.End, "") };
            }
            int dash = DashOf(item);
            if (!YamlText.OnlySpacesBefore(Text, dash))
                throw Unsupported($"the provider entry at {Where(item)} doesn't start its own line. Edit it by hand.");
            int from = YamlText.LineStart(Text, dash);
            // An entry set off by a blank line takes it along (not the first one: its blank line leads the list).
            if (idx > 0 && BlankLineBefore(dash)) from = YamlText.LineStart(Text, from - 1);
            return new List<TextEdit> { DeleteLines(from, YamlText.NextLineStart(Text, item.End)) };
        }

        /// <summary>Edits that apply changes (key → new value, null = remove) to entry m, key by key.</summary>
        public List<TextEdit> PlanSet(YMapping m, IList<KeyValuePair<string, object>> changes)
        {
            RequireEditable();
            var l = BaseLayout(OidcConfig, OidcLevel + 1, m);
            var edits = new List<TextEdit>();
            var newPairs = new RMap();
            foreach (var c in changes)
            {
                var found = m.FindAll(c.Key);
                if (found.Count > 1) throw Unsupported($"the entry at {Where(m)} has the key '{c.Key}' {found.Count} times. Remove the duplicates, then retry.");
                if (found.Count == 0)
                {
                    if (c.Value != null) newPairs.Add(c.Key, c.Value);
                    continue;
                }
                if (c.Value == null) edits.Add(DeletePair(m, found[0]));
                else edits.Add(ReplaceValue(m, found[0], c.Value, l));
            }
            if (newPairs.Pairs.Count > 0)
            {
                // Insert after the last key that stays (deleted trailing keys lie on later lines).
                var deleted = new HashSet<string>(changes.Where(c => c.Value == null).Select(c => c.Key), StringComparer.Ordinal);
                var keep = m.Pairs.LastOrDefault(p => !deleted.Contains(p.KeyText ?? ""));
                if (keep == null) throw Unsupported($"can't rewrite the entry at {Where(m)} in place. Edit it by hand.");
                if (m.Flow || Json)
                {
                    var ins = InsertPairs(m, newPairs, l);
                    if (keep != m.Pairs[m.Pairs.Count - 1])
                    {
                        // Insert after the kept pair instead of the (deleted) last one.
                        ins = new TextEdit(PairEnd(keep), PairEnd(keep), ins.Text);
                    }
                    edits.Add(ins);
                }
                else
                {
                    int at = YamlText.LineEnd(Text, PairEnd(keep));
                    edits.Add(new TextEdit(at, at, NL + Render.BlockPairs(newPairs, KeyCol(m), l)));
                }
            }
            return edits;
        }

        /// <summary>Whether a node or anything inside it has an anchor, alias, tag or merge key.</summary>
        public static bool HasSpecial(YNode n)
        {
            if (n == null) return false;
            if (n is YAlias || n.HasAnchorOrTag) return true;
            if (n is YMapping m) return m.HasMergeKey || m.Pairs.Any(p => HasSpecial(p.Key) || HasSpecial(p.Value));
            if (n is YSequence s) return s.Items.Any(HasSpecial);
            return false;
        }
    }
}
