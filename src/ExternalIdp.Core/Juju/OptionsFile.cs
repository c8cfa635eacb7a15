using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace ExternalIdp.Core.Juju
{
    /// <summary>
    /// A private YAML options file (<c>app: {key: value}</c>) for juju deploy --config, in the folder that
    /// juju can read (JujuCli.FileFolder):
    /// owner-only before any content is written, deleted on Dispose whatever happened. Its name
    /// carries the id of the process that wrote it (externalidp-&lt;pid&gt;-&lt;guid&gt;.yaml): a
    /// process killed while juju ran can't delete its file, so the next one created in the same
    /// folder deletes the files of processes that are gone.
    /// </summary>
    internal sealed class OptionsFile : IDisposable
    {
        private const string Prefix = "externalidp-";
        private OptionsFile(string path) { Path = path; }
        public string Path { get; }

        /// <summary>
        /// The options as juju reads them from a file or from standard input (juju config --file -):
        /// <c>app:</c> and one <c>key: "value"</c> line per option. Holds the secrets in clear text.
        /// </summary>
        public static string Text(string application, IEnumerable<KeyValuePair<string, SettingValue>> options)
        {
            var sb = new StringBuilder();
            sb.Append(application).Append(":\n");
            foreach (var kv in options)
            {
                sb.Append("  ").Append(kv.Key).Append(": ");
                sb.Append(Newtonsoft.Json.JsonConvert.ToString(CharmRules.Text(kv.Value)));
                sb.Append('\n');
            }
            return sb.ToString();
        }

        /// <summary>Writes the options file in directory (created when missing; null: the user's temp folder).</summary>
        public static OptionsFile Create(string directory, string application, IEnumerable<KeyValuePair<string, SettingValue>> options)
        {
            var dir = directory ?? System.IO.Path.GetTempPath();
            int pid;
            using (var self = Process.GetCurrentProcess()) pid = self.Id;
            var path = System.IO.Path.Combine(dir, Prefix + pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N") + ".yaml");
            var f = new OptionsFile(path);
            try
            {
                Directory.CreateDirectory(dir);
                RemoveOrphans(dir);
                using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    MakeOwnerOnly(path);
                    var bytes = new UTF8Encoding(false).GetBytes(Text(application, options));
                    fs.Write(bytes, 0, bytes.Length);
                }
                return f;
            }
            catch (ExternalIdpException)
            {
                f.Dispose();
                throw;
            }
            catch (Exception e)
            {
                f.Dispose();
                var inner = e is TargetInvocationException tie && tie.InnerException != null ? tie.InnerException : e;
                throw JujuMessages.OptionsFileNotWritten(dir, inner);
            }
        }

        /// <summary>
        /// Deletes the options files in dir whose writing process no longer runs (killed while juju
        /// ran); returns how many. A file whose process id is in use again, or that can't be
        /// deleted (another user's), is left alone.
        /// </summary>
        internal static void RemoveOrphans(string dir)
        {
            string[] files;
            try { files = Directory.GetFiles(dir, Prefix + "*-*.yaml"); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException) { return; }
            foreach (var file in files)
            {
                var name = System.IO.Path.GetFileNameWithoutExtension(file);
                var parts = name.Substring(Prefix.Length).Split('-');
                if (parts.Length != 2 || parts[1].Length != 32 || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)) continue;
                if (IsRunning(pid)) continue;
                try { File.Delete(file); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }

        private static bool IsRunning(int pid)
        {
            try
            {
                using (var p = Process.GetProcessById(pid)) return !p.HasExited;
            }
            catch (ArgumentException) { return false; }       // no such process
            catch (InvalidOperationException) { return false; }
            catch (Exception) { return true; }                 // can't tell: keep the file
        }

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int chmod(string path, int mode);

        /// <summary>Unix mode 600 (File.SetUnixFileMode when the runtime has it, else chmod); on Windows the user's temp folder is already private.</summary>
        private static void MakeOwnerOnly(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            var modeType = Type.GetType("System.IO.UnixFileMode");
            var set = modeType == null ? null : typeof(File).GetMethod("SetUnixFileMode", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), modeType }, null);
            if (set != null)
            {
                set.Invoke(null, new[] { path, Enum.ToObject(modeType, 0x180) });
                return;
            }
            if (chmod(path, 0x180) != 0)
                throw JujuMessages.OptionsFileNotPrivate();
        }

        public void Dispose()
        {
            for (int i = 0; i < 5; i++)
            {
                try
                {
                    if (File.Exists(Path)) File.Delete(Path);
                    return;
                }
                catch (IOException) { Thread.Sleep(50); }
                catch (UnauthorizedAccessException) { Thread.Sleep(50); }
            }
        }
    }
}
