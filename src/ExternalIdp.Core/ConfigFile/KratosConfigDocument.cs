using System;
using System.Collections.Generic;
using System.Linq;
using YamlDotNet.Core;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// A Kratos config (or a bigger YAML holding one under a dotted root) as text plus its
    /// position-aware tree: finds the providers list and the mappings on the way to it, and reads
    /// values (entries, ids, enabled, the public URLs). ProviderListEdits plans changes of it.
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
        public YMapping KRootParent { get; private set; }
        /// <summary>The pair of KRoot in KRootParent (null at document root).</summary>
        public YPair KRootPair { get; private set; }

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

        /// <summary>The file as messages name it: its path, and the -ConfigRoot when there is one.</summary>
        public string Description => ConfigFileMessages.Describe(Path, ConfigRoot);

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
                throw Unsupported(ConfigFileMessages.DuplicateKey(dotted, found.Select(p => p.Key.Line).ToList()));
            var merge = m.MergePair;
            if (merge != null)
            {
                NoteProblem(ConfigFileMessages.MergeKeyOnPath(dotted, merge.Key.Line));
                if (found.Count == 0)
                    throw Unsupported(ConfigFileMessages.MayComeFromMergeKey(dotted, merge.Key.Line));
            }
            return found.Count == 0 ? null : found[0];
        }

        private YNode Deref(YNode n, string dotted)
        {
            if (n is YAlias a)
            {
                NoteProblem(ConfigFileMessages.AliasOnPath(dotted, a.Name, a.Line));
                if (!Doc.Anchors.TryGetValue(a.Name, out var target))
                    throw Invalid(ConfigFileMessages.UnknownAnchor(dotted, a.Line, a.Name));
                return target;
            }
            if (!string.IsNullOrEmpty(n.Anchor))
                NoteProblem(ConfigFileMessages.AnchorOnPath(dotted, n.Anchor, n.Line));
            if (!string.IsNullOrEmpty(n.Tag))
                NoteProblem(ConfigFileMessages.TagOnPath(dotted, n.Tag, n.Line));
            return n;
        }

        private static bool IsNull(YNode n) => n is YScalar s && YamlText.Resolve(s) == null;

        private void Locate()
        {
            if (Doc.Root == null)
                throw Invalid(ConfigFileMessages.NoDocument());
            var rootNode = Deref(Doc.Root, "(document)");
            if (!(rootNode is YMapping root))
                throw Invalid(ConfigFileMessages.RootNotAMapping(rootNode.Line));
            YMapping cur = root;
            string dotted = "";
            if (!string.IsNullOrEmpty(ConfigRoot))
            {
                foreach (var seg in ConfigRoot.Split('.'))
                {
                    dotted = dotted.Length == 0 ? seg : dotted + "." + seg;
                    var p = seg.Length == 0 ? null : Find(cur, seg, dotted);
                    if (p == null)
                        throw Invalid(ConfigFileMessages.ConfigRootNotFound(ConfigRoot, dotted));
                    var v = Deref(p.Value, dotted);
                    if (!(v is YMapping vm))
                        throw Invalid(ConfigFileMessages.ConfigRootNotAMapping(ConfigRoot, dotted, p.Value.Line));
                    KRootParent = cur;
                    KRootPair = p;
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
                        throw Invalid(ConfigFileMessages.NotAMapping(dotted, v.Line, Chain[i + 1]));
                    cur = m;
                }
                else
                {
                    if (!(v is YSequence seq))
                        throw Invalid(ConfigFileMessages.ProvidersNotAList(dotted, v.Line));
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
