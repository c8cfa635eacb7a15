using System;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>One read of the file with a change planned and checked on it (nothing written yet).</summary>
    internal sealed class PreparedChange
    {
        public ConfigFileContent Content;
        public KratosConfigDocument Doc;
        public PlannedChange Plan;
        /// <summary>The new text as the check read it back: the document as written.</summary>
        public KratosConfigDocument Written;
    }

    /// <summary>
    /// Writes a change: planned and checked first (so errors come before any question), asked once, then
    /// made under the file's lock on the file as it is then, atomically and keeping what the file is.
    /// </summary>
    internal static class ChangeWriter
    {
        /// <summary>Parses content, plans the change and checks the new text, without writing it.</summary>
        public static PreparedChange Prepare(ConfigFileContent content, string configRoot, Func<KratosConfigDocument, PlannedChange> plan)
        {
            var doc = ConfigFileStore.Parse(content, configRoot);
            return Prepare(content, doc, plan(doc));
        }

        public static PreparedChange Prepare(ConfigFileContent content, KratosConfigDocument doc, PlannedChange planned)
            => new PreparedChange { Content = content, Doc = doc, Plan = planned, Written = ChangeCheck.Apply(doc, planned) };

        /// <summary>
        /// Writes a previewed change: refuses a file that can't be rewritten keeping what it is (a link, its
        /// owner, group and mode; see ConfigFileIdentity) before asking, asks once, then commits under the
        /// lock. Null when ShouldProcess declined. plan plans the change again when the file changed meanwhile.
        /// </summary>
        public static PreparedChange Commit(PreparedChange preview, Func<KratosConfigDocument, PlannedChange> plan, ICoreHost host, string target, string action, TimeSpan lockTimeout)
        {
            var path = preview.Content.Path;
            ConfigFileIdentity.Writable(path);
            if (!host.ShouldProcess(target, action)) return null;
            using (ConfigFileStore.Lock(path, host.Cancellation, lockTimeout))
            {
                // When the file still holds what the preview read, the preview's checked text is written:
                // planning and checking the same input again would give the same text. Otherwise the change
                // is planned and checked again on what is there now.
                var now = ReadIfChanged(preview.Content);
                var p = now == null ? preview : Prepare(now, preview.Doc.ConfigRoot, plan);
                ConfigFileStore.WriteAtomic(path, p.Written.Text, p.Content.Bom);
                return p;
            }
        }

        /// <summary>
        /// Call with the lock held: reads the file again and compares it with what an earlier read gave.
        /// Null when it holds the same (the text is decoded strictly, so equal text and BOM mean equal
        /// bytes); otherwise the file as it is now.
        /// </summary>
        public static ConfigFileContent ReadIfChanged(ConfigFileContent before)
        {
            var now = ConfigFileStore.Read(before.Path);
            return now.Bom == before.Bom && string.Equals(now.Text, before.Text, StringComparison.Ordinal) ? null : now;
        }
    }
}
