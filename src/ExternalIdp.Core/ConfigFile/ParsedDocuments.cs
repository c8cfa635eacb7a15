using System;
using System.Collections.Generic;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// The parsed trees of the config files this process read or wrote last, so that the next
    /// operation on an unchanged file does not parse it again.
    /// </summary>
    /// <remarks>
    /// An entry is the full path of a file, one tree, which holds the exact text it was parsed
    /// from, and whether the file starts with a byte order mark. A lookup hands the tree out only
    /// when the text just read from the file is equal, character for character, to the tree's text;
    /// any change to the file (by this process or another) is a miss and a fresh parse. Reading a
    /// file whose entry exists first compares the file with the entry's bytes through a small
    /// buffer (ConfigFileStore.Read): when they are equal, the entry's text is used and the file
    /// is not decoded again. The tree is a pure function of its text and immutable,
    /// so sharing it between operations, runspaces and threads changes nothing they see. The path
    /// only decides which entry a file is compared with: two spellings of one file, or two files
    /// with the same text, can't lead to a wrong tree, since the text is always compared. Entries
    /// come from a successful parse of that text, or from the tree of a change this process has
    /// just verified and written (see LocalCheck.Edit.NewTree). The cache is bounded: a few files,
    /// and a total text size; the least recently used entries go first.
    /// </remarks>
    internal static class ParsedDocuments
    {
        /// <summary>Files remembered at most.</summary>
        public const int MaxFiles = 8;
        /// <summary>
        /// Characters of text remembered at most over all entries. A tree takes about three and a half
        /// times the memory of its text (two bytes a character): a 1,000-provider kratos.yml (366 KB)
        /// about 3 MB with its text, so at most about 35 MB in all.
        /// </summary>
        public const long MaxChars = 4L * 1024 * 1024;

        private static readonly object Gate = new object();
        /// <summary>Most recently used first.</summary>
        private static readonly LinkedList<Entry> Entries = new LinkedList<Entry>();

        private sealed class Entry
        {
            public readonly string Key;
            public readonly YDocument Doc;
            public readonly bool Bom;
            public Entry(string key, YDocument doc, bool bom) { Key = key; Doc = doc; Bom = bom; }
        }

        private static string Key(string path)
        {
            try { return System.IO.Path.GetFullPath(path); }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is System.IO.PathTooLongException) { return path; }
        }

        /// <summary>The tree of text: the remembered one when the file's entry holds exactly this text, else a fresh parse (remembered).</summary>
        public static YDocument Parse(string path, string text, bool bom)
        {
            if (TryGet(path, text, out var doc)) return doc;
            doc = YamlTreeReader.Parse(text);
            Remember(path, doc, bom);
            return doc;
        }

        /// <summary>The entry of key, or null (call with Gate held).</summary>
        private static LinkedListNode<Entry> Find(string key)
        {
            for (var n = Entries.First; n != null; n = n.Next)
                if (string.Equals(n.Value.Key, key, StringComparison.Ordinal)) return n;
            return null;
        }

        /// <summary>The tree remembered for path and whether that file had a BOM, whatever the file holds now.</summary>
        public static bool TryLatest(string path, out YDocument doc, out bool bom)
        {
            doc = null; bom = false;
            if (path == null) return false;
            var key = Key(path);
            lock (Gate)
            {
                var n = Find(key);
                if (n == null) return false;
                doc = n.Value.Doc; bom = n.Value.Bom;
                return true;
            }
        }

        public static bool TryGet(string path, string text, out YDocument doc)
        {
            doc = null;
            if (path == null || text == null) return false;
            var key = Key(path);
            lock (Gate)
            {
                var n = Find(key);
                if (n == null || !string.Equals(n.Value.Doc.Text, text, StringComparison.Ordinal)) return false;
                Entries.Remove(n);
                Entries.AddFirst(n);
                doc = n.Value.Doc;
                return true;
            }
        }

        /// <summary>Remembers doc as the tree of the file at path, which has a BOM or not (replacing what was remembered for it).</summary>
        public static void Remember(string path, YDocument doc, bool bom)
        {
            if (path == null || doc?.Text == null || doc.Text.Length > MaxChars) return;
            var key = Key(path);
            lock (Gate)
            {
                var old = Find(key);
                if (old != null) Entries.Remove(old);
                Entries.AddFirst(new Entry(key, doc, bom));
                long chars = 0;
                int count = 0;
                for (var n = Entries.First; n != null; )
                {
                    var next = n.Next;
                    chars += n.Value.Doc.Text.Length;
                    if (++count > MaxFiles || chars > MaxChars) Entries.Remove(n);
                    n = next;
                }
            }
        }

        /// <summary>Forgets the file at path.</summary>
        public static void Forget(string path)
        {
            var key = Key(path);
            lock (Gate)
            {
                var n = Find(key);
                if (n != null) Entries.Remove(n);
            }
        }

        /// <summary>The tree remembered for path, whatever its text (tests and diagnostics).</summary>
        internal static YDocument Peek(string path) => TryLatest(path, out var doc, out _) ? doc : null;
    }
}
