using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using YamlDotNet.Core;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>The bytes of a config file as read: text without BOM, and whether it had one.</summary>
    internal sealed class ConfigFileContent
    {
        public string Path;
        public bool Bom;
        public string Text;
        public bool Json;
    }

    /// <summary>Reads, locks and atomically rewrites a config file.</summary>
    internal static class ConfigFileStore
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);
        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static ConfigFileContent Read(string path)
        {
            if (!File.Exists(path))
            {
                if (Directory.Exists(path))
                    throw new ExternalIdpException(ErrorIds.ConfigFileNotFound, ErrorKind.ObjectNotFound, ConfigFileMessages.IsAFolder(path), path);
                throw new ExternalIdpException(ErrorIds.ConfigFileNotFound, ErrorKind.ObjectNotFound, ConfigFileMessages.FileMissing(path), path);
            }
            byte[] bytes;
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ExternalIdpException(ErrorIds.ConfigFileInvalid, ErrorKind.ReadError, ConfigFileMessages.CantRead(path, ex.Message), path, ex);
            }
            bool bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            string text;
            try { text = StrictUtf8.GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0)); }
            catch (DecoderFallbackException)
            {
                throw new ExternalIdpException(ErrorIds.ConfigFileInvalid, ErrorKind.InvalidData, ConfigFileMessages.NotUtf8(path), path);
            }
            return new ConfigFileContent
            {
                Path = path, Bom = bom, Text = text,
                Json = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase),
            };
        }

        /// <summary>Parses content; parse errors become KratosConfigFileInvalid with line and column.</summary>
        public static KratosConfigDocument Parse(ConfigFileContent c, string configRoot)
        {
            YDocument doc;
            try { doc = YamlTreeReader.Parse(c.Text); }
            catch (YamlException ex)
            {
                throw new ExternalIdpException(ErrorIds.ConfigFileInvalid, ErrorKind.InvalidData,
                    ConfigFileMessages.NotParsable(c.Path, c.Json, Clean(ex.Message), ex.Start.Line, ex.Start.Column), c.Path, ex);
            }
            if (doc.DocumentCount > 1)
                throw new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidData,
                    ConfigFileMessages.SeveralDocuments(c.Path, doc.DocumentCount, doc.SecondDocumentLine), c.Path);
            var json = c.Json || (doc.Root is YMapping rm && rm.Flow && c.Text.TrimStart().StartsWith("{", StringComparison.Ordinal));
            return new KratosConfigDocument(c.Path, configRoot, c.Text, json, doc);
        }

        private static string Clean(string m)
        {
            m = m ?? "";
            int i = m.IndexOf("): ", StringComparison.Ordinal);
            if (m.StartsWith("(", StringComparison.Ordinal) && i > 0) m = m.Substring(i + 3);
            return m.TrimEnd('.');
        }

        /// <summary>
        /// Takes the exclusive sidecar lock &lt;file&gt;.lock beside the file itself (links resolved, so every
        /// path to one file takes one lock), retrying until the wait runs out. The holder writes who it is
        /// into the lock file (so a waiter that gives up can name it) and removes the temp files that
        /// writers killed before their rename left beside the file (only a lock holder writes them, so
        /// while we hold the lock any that exist are leftovers).
        /// </summary>
        public static IDisposable Lock(string path, CancellationToken cancel, TimeSpan timeout)
        {
            var file = ConfigFileIdentity.Of(path);
            var lockPath = file.Real + ".lock";
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                FileStream held = null;
                try
                {
                    // On Windows nobody else can take it while we hold it, so deleting it on close is safe; others
                    // may read it (to name the holder). On Unix .NET backs FileShare.None with flock(), which the OS
                    // releases when the holder dies; unlinking there could let two processes lock two different
                    // files, so the lock file stays (holding the last holder's description).
                    held = IsWindows
                        ? new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.DeleteOnClose)
                        : new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                }
                catch (UnauthorizedAccessException) when (DateTime.UtcNow < deadline && IsWindows)
                {
                    // delete pending on Windows: retry
                }
                catch (IOException ex)
                {
                    var holder = ReadHolder(lockPath);
                    throw new ExternalIdpException(ErrorIds.ConfigFileLocked, ErrorKind.ResourceBusy,
                        ConfigFileMessages.Locked(path, lockPath, holder, FormatWait(timeout)), path, ex);
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw new ExternalIdpException(ErrorIds.ConfigFileWriteFailed, ErrorKind.PermissionDenied,
                        ConfigFileMessages.CantCreateLock(lockPath, ex.Message, path), path, ex);
                }
                if (held != null)
                {
                    try
                    {
                        Describe(held);
                        // A lock file that root made stays usable by the config's owner (Kratos's user, a runbook's).
                        if (Posix.IsUnix && file.Known && Posix.IsRoot) Posix.Chown(lockPath, file.Uid, file.Gid);
                        RemoveStaleTemps(file.Real);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        // The description and the clean-up are courtesies: the lock itself is held.
                    }
                    return new HeldLock(held);
                }
                if (cancel.WaitHandle.WaitOne(100))
                    throw new ExternalIdpException(ErrorIds.ConfigFileLocked, ErrorKind.OperationStopped, ConfigFileMessages.StoppedWaitingForLock(path), path);
            }
        }

        /// <summary>The held lock file: emptied (still under the lock) before it is released.</summary>
        private sealed class HeldLock : IDisposable
        {
            private FileStream _fs;
            public HeldLock(FileStream fs) { _fs = fs; }

            public void Dispose()
            {
                var fs = Interlocked.Exchange(ref _fs, null);
                if (fs == null) return;
                try { fs.SetLength(0); }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ObjectDisposedException) { }
                fs.Dispose();
            }
        }

        private static string FormatWait(TimeSpan t)
            => t.TotalSeconds >= 1 ? $"{Math.Round(t.TotalSeconds, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} s" : $"{(int)t.TotalMilliseconds} ms";

        /// <summary>Writes "process &lt;pid&gt; (&lt;name&gt;) on &lt;host&gt;, since &lt;UTC time&gt;" into the held lock file.</summary>
        private static void Describe(FileStream held)
        {
            string name;
            int pid;
            using (var me = System.Diagnostics.Process.GetCurrentProcess())
            {
                pid = me.Id;
                try { name = me.ProcessName; } catch (Exception) { name = "?"; }
            }
            var text = $"process {pid} ({name}) on {Environment.MachineName}, since {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} UTC";
            var bytes = new UTF8Encoding(false).GetBytes(text);
            held.SetLength(0);
            held.Position = 0;
            held.Write(bytes, 0, bytes.Length);
            held.Flush();
        }

        /// <summary>The description the holder wrote into the lock file, or null when it can't be read.</summary>
        internal static string ReadHolder(string lockPath)
        {
            byte[] bytes;
            try
            {
                if (IsWindows)
                {
                    using (var fs = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
                        bytes = ReadSome(fs);
                }
                else bytes = Posix.ReadStart(lockPath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return null;
            }
            if (bytes == null || bytes.Length == 0) return null;
            var text = new UTF8Encoding(false).GetString(bytes).Trim();
            if (text.Length == 0 || !text.StartsWith("process ", StringComparison.Ordinal)) return null;
            var sb = new StringBuilder();
            foreach (var c in text) if (!char.IsControl(c)) sb.Append(c);
            return sb.ToString();
        }

        private static byte[] ReadSome(Stream s)
        {
            var buf = new byte[512];
            int n = 0, r;
            while (n < buf.Length && (r = s.Read(buf, n, buf.Length - n)) > 0) n += r;
            var result = new byte[n];
            Array.Copy(buf, result, n);
            return result;
        }

        // The temp file a write goes through: ".<file>.<12 hex digits>.tmp" beside the file.
        private const string TempSuffix = ".tmp";
        private const int TempIdLength = 12;
        private static string TempPrefix(string fileName) => "." + fileName + ".";

        /// <summary>Deletes ".&lt;file&gt;.&lt;12 hex&gt;.tmp" beside path: what writers killed before their rename left.</summary>
        internal static int RemoveStaleTemps(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            var dir = System.IO.Path.GetDirectoryName(full);
            var prefix = TempPrefix(System.IO.Path.GetFileName(full));
            int removed = 0;
            foreach (var f in Directory.EnumerateFiles(dir, prefix + "*" + TempSuffix))
            {
                var middle = System.IO.Path.GetFileName(f);
                if (!middle.StartsWith(prefix, StringComparison.Ordinal) || !middle.EndsWith(TempSuffix, StringComparison.Ordinal)) continue;
                middle = middle.Substring(prefix.Length, middle.Length - prefix.Length - TempSuffix.Length);
                if (middle.Length != TempIdLength || !IsHex(middle)) continue;
                try { File.Delete(f); removed++; }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            return removed;
        }

        private static bool IsHex(string s)
        {
            foreach (var c in s) if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
            return true;
        }

        /// <summary>
        /// Writes text (with the original BOM) to a temp file beside the file (links resolved) and renames it
        /// over the file, keeping its owner, group and mode (Unix) or ACL and attributes (Windows, File.Replace).
        /// A file that can't be rewritten so is refused first (see ConfigFileIdentity.Writable).
        /// </summary>
        public static void WriteAtomic(string path, string text, bool bom)
        {
            var file = ConfigFileIdentity.Writable(path);
            var full = file.Real;
            var dir = System.IO.Path.GetDirectoryName(full);
            var temp = System.IO.Path.Combine(dir, TempPrefix(System.IO.Path.GetFileName(full)) + Guid.NewGuid().ToString("N").Substring(0, TempIdLength) + TempSuffix);
            try
            {
                // On Unix the temp file is private (0600) from its creation until it has the file's owner and mode.
                using (var fs = Posix.IsUnix
                    ? new FileStream(Posix.CreatePrivate(temp), FileAccess.Write, 4096)
                    : new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096))
                {
                    if (bom) fs.Write(new byte[] { 0xEF, 0xBB, 0xBF }, 0, 3);
                    // Encoded through a small buffer: a big file's bytes are never held whole in memory.
                    using (var w = new StreamWriter(fs, new UTF8Encoding(false), 16 * 1024, leaveOpen: true))
                        w.Write(text);
                    fs.Flush(true); // on disk (fsync) before the rename makes it the file
                }
                file.KeepOn(temp);
                if (IsWindows) File.Replace(temp, full, null, true);
                else MoveOver(temp, full);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is TargetInvocationException)
            {
                var inner = ex is TargetInvocationException tie && tie.InnerException != null ? tie.InnerException : ex;
                throw new ExternalIdpException(ErrorIds.ConfigFileWriteFailed, ErrorKind.WriteError, ConfigFileMessages.CantWrite(file.Named, inner.Message), path, inner);
            }
            finally
            {
                try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }

        private static void MoveOver(string temp, string full)
        {
            // File.Move(string, string, bool) exists from .NET Core 3.0; rename(2) replaces atomically.
            var m = typeof(File).GetMethod("Move", new[] { typeof(string), typeof(string), typeof(bool) });
            if (m != null) m.Invoke(null, new object[] { temp, full, true });
            else File.Replace(temp, full, null);
        }
    }
}
