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
        public byte[] Bytes;
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
                    throw new ExternalIdpException(ErrorIds.ConfigFileNotFound, ErrorKind.ObjectNotFound,
                        $"{path} is a folder, not a Kratos config file. Give the path of the kratos.yml (or .json) file with -ConfigPath.", path);
                throw new ExternalIdpException(ErrorIds.ConfigFileNotFound, ErrorKind.ObjectNotFound,
                    $"The Kratos config file {path} does not exist. Check -ConfigPath (the file Kratos is started with, e.g. --config /etc/config/kratos/kratos.yml), or create the file first.", path);
            }
            byte[] bytes;
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ExternalIdpException(ErrorIds.ConfigFileInvalid, ErrorKind.ReadError,
                    $"Can't read {path}: {ex.Message} Check the file's permissions.", path, ex);
            }
            bool bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            string text;
            try { text = StrictUtf8.GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0)); }
            catch (DecoderFallbackException)
            {
                throw new ExternalIdpException(ErrorIds.ConfigFileInvalid, ErrorKind.InvalidData,
                    $"{path} is not UTF-8 text, so it is not a Kratos YAML/JSON config. Save it as UTF-8, or give the right file with -ConfigPath.", path);
            }
            return new ConfigFileContent
            {
                Path = path, Bytes = bytes, Bom = bom, Text = text,
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
                    $"{c.Path} is not valid {(c.Json ? "JSON" : "YAML")}: {Clean(ex.Message)} (line {ex.Start.Line}, column {ex.Start.Column}). Fix the file (a YAML or JSON Kratos config) or give the right one with -ConfigPath.", c.Path, ex);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ArgumentException || ex is FormatException)
            {
                // YamlDotNet's scanner gives up this way on some malformed input.
                throw new ExternalIdpException(ErrorIds.ConfigFileInvalid, ErrorKind.InvalidData,
                    $"{c.Path} is not valid {(c.Json ? "JSON" : "YAML")}: the parser could not read it. Fix the file (a YAML or JSON Kratos config) or give the right one with -ConfigPath.", c.Path, ex);
            }
            if (doc.DocumentCount > 1)
                throw new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidData,
                    $"{c.Path} holds {doc.DocumentCount} YAML documents (the second starts at line {doc.SecondDocumentLine}); Kratos reads one. Split the file so the Kratos config is alone in its file, then retry.", c.Path);
            var json = c.Json || (doc.Root is YMapping rm && rm.Flow && c.Text.TrimStart().StartsWith("{", StringComparison.Ordinal));
            return new KratosConfigDocument(c.Path, configRoot, c.Text, json, doc) { Bom = c.Bom };
        }

        private static string Clean(string m)
        {
            m = m ?? "";
            int i = m.IndexOf("): ", StringComparison.Ordinal);
            if (m.StartsWith("(", StringComparison.Ordinal) && i > 0) m = m.Substring(i + 3);
            return m.TrimEnd('.');
        }

        /// <summary>Takes the exclusive sidecar lock &lt;file&gt;.lock, retrying until the wait runs out.</summary>
        public static IDisposable Lock(string path, CancellationToken cancel, TimeSpan timeout)
        {
            var lockPath = path + ".lock";
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                try
                {
                    // On Windows nobody else can open it while we hold it, so deleting it on close is safe.
                    // On Unix .NET backs FileShare.None with flock(); unlinking there could let two processes
                    // lock two different files, so the (empty) lock file stays.
                    var opts = IsWindows ? FileOptions.DeleteOnClose : FileOptions.None;
                    return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, opts);
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
                    throw new ExternalIdpException(ErrorIds.ConfigFileLocked, ErrorKind.ResourceBusy,
                        $"{path} is locked by another change in progress ({lockPath} is held). Wait for it to finish and retry; if no other change is running, delete {lockPath}.", path, ex);
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw new ExternalIdpException(ErrorIds.ConfigFileWriteFailed, ErrorKind.PermissionDenied,
                        $"Can't create the lock file {lockPath}: {ex.Message} You need write access to the folder of {path}.", path, ex);
                }
                if (cancel.WaitHandle.WaitOne(100))
                    throw new ExternalIdpException(ErrorIds.ConfigFileLocked, ErrorKind.OperationStopped,
                        $"Stopped while waiting for the lock on {path}; nothing was changed.", path);
            }
        }

        /// <summary>Writes text (with the original BOM) to a temp file beside path and renames it over path.</summary>
        public static void WriteAtomic(string path, string text, bool bom, Action<string> beforeRename = null)
        {
            var full = System.IO.Path.GetFullPath(path);
            var dir = System.IO.Path.GetDirectoryName(full);
            var name = System.IO.Path.GetFileName(full);
            var temp = System.IO.Path.Combine(dir, "." + name + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
            var body = new UTF8Encoding(false).GetBytes(text);
            try
            {
                using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                {
                    if (bom) fs.Write(new byte[] { 0xEF, 0xBB, 0xBF }, 0, 3);
                    fs.Write(body, 0, body.Length);
                    fs.Flush(true);
                }
                CopyUnixMode(full, temp);
                beforeRename?.Invoke(temp);
                if (IsWindows) File.Replace(temp, full, null, true);
                else MoveOver(temp, full);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is TargetInvocationException)
            {
                var inner = ex is TargetInvocationException tie && tie.InnerException != null ? tie.InnerException : ex;
                throw new ExternalIdpException(ErrorIds.ConfigFileWriteFailed, ErrorKind.WriteError,
                    $"Can't write {full}: {inner.Message} The file was left as it was. Check that you can write to it and to its folder.", path, inner);
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

        /// <summary>Gives temp the Unix permissions of original, when the runtime exposes them (.NET 7+).</summary>
        private static void CopyUnixMode(string original, string temp)
        {
            if (IsWindows) return;
            var get = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
            if (get == null) return;
            var set = typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), get.ReturnType });
            if (set == null) return;
            var mode = get.Invoke(null, new object[] { original });
            set.Invoke(null, new object[] { temp, mode });
        }
    }
}
