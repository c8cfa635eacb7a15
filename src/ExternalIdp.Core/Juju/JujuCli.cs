using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace ExternalIdp.Core.Juju
{
    /// <summary>What one juju command printed.</summary>
    internal sealed class JujuResult
    {
        public int ExitCode { get; set; }
        public string Stdout { get; set; } = "";
        public string Stderr { get; set; } = "";
        /// <summary>The command as shown to the user ("juju status --format=json"): never holds a secret.</summary>
        public string Display { get; set; } = "";
    }

    /// <summary>The juju CLI version, as `juju version` prints it.</summary>
    internal sealed class JujuVersion
    {
        public JujuVersion(string text)
        {
            Text = text;
            var head = text.Split('-')[0].Split('.');
            int.TryParse(head[0], out var major);
            Major = major;
        }
        public string Text { get; }
        public int Major { get; }
        /// <summary>Juju 2.x: run-action, add-relation, no --no-prompt on remove-application.</summary>
        public bool IsLegacy => Major > 0 && Major < 3;
    }

    /// <summary>
    /// Runs the juju CLI: found on PATH, NO_COLOR=1, standard input written and closed, output
    /// captured asynchronously, killed on timeout or cancellation. Arguments never carry a secret:
    /// secrets go through standard input (juju config --file -) or a private options file.
    /// </summary>
    internal sealed class JujuCli
    {
        private readonly IDictionary<string, string> _env;
        private readonly string _model;

        // Versions per juju executable (and environment override); the first answer stays.
        private static readonly ConcurrentDictionary<string, JujuVersion> s_versions = new ConcurrentDictionary<string, JujuVersion>(StringComparer.Ordinal);

        private JujuVersion _version;

        private JujuCli(string exe, string model, IDictionary<string, string> env)
        {
            Executable = exe;
            _model = model;
            _env = env;
        }

        public string Executable { get; }

        /// <summary>
        /// Whether this juju is the snap (its path holds /snap/, as Canonical's jubilant decides): juju 3's snap
        /// is strictly confined, with a private /tmp and no access to hidden folders of the home folder.
        /// </summary>
        public bool IsSnap => Executable.Replace('\\', '/').IndexOf("/snap/", StringComparison.Ordinal) >= 0;

        /// <summary>
        /// The folder for a file this juju must read (deploy --config): ~/snap/juju/common for the snap, which
        /// always reads its own folder (created by OptionsFile.Create when missing), else tempDirectory (null:
        /// the user's temp folder).
        /// </summary>
        public string FileFolder(string tempDirectory)
        {
            if (!IsSnap) return tempDirectory ?? Path.GetTempPath();
            string home = null;
            if (_env != null) _env.TryGetValue("HOME", out home);
            if (string.IsNullOrEmpty(home)) home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
                throw JujuMessages.SnapWithoutHome(Executable);
            return Path.Combine(home, "snap", "juju", "common");
        }

        /// <summary>Finds juju on PATH (env may override PATH for the lookup and the child process).</summary>
        public static JujuCli Locate(string model, IDictionary<string, string> env)
        {
            string path = null;
            if (env != null) env.TryGetValue("PATH", out path);
            if (path == null) path = Environment.GetEnvironmentVariable("PATH") ?? "";
            var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            var names = windows ? new[] { "juju.exe", "juju.cmd", "juju.bat" } : new[] { "juju" };
            foreach (var dir in path.Split(Path.PathSeparator))
            {
                var d = dir.Trim().Trim('"');
                if (d.Length == 0) continue;
                foreach (var n in names)
                {
                    string full;
                    try { full = Path.GetFullPath(Path.Combine(d, n)); }
                    catch (Exception) { continue; }
                    if (File.Exists(full)) return new JujuCli(full, model, env);
                }
            }
            throw JujuMessages.JujuNotOnPath(windows ? "juju.exe" : "juju");
        }

        /// <summary>`juju version`, asked once per executable and cached (thread-safe).</summary>
        public JujuVersion Version(ICoreHost host, int timeoutSec)
        {
            if (_version != null) return _version;
            var key = CacheKey();
            if (s_versions.TryGetValue(key, out var cached)) return _version = cached;
            var r = Run(host, timeoutSec, null, false, null, "version");
            var text = r.Stdout.Trim().Split('\n').FirstOrDefault()?.Trim() ?? "";
            if (r.ExitCode != 0 || text.Length == 0 || !char.IsDigit(text[0]))
                throw Failed(r, null);
            var v = new JujuVersion(text);
            s_versions.TryAdd(key, v);
            host.WriteVerbose("juju version " + v.Text);
            return _version = v;
        }

        private string CacheKey()
        {
            var sb = new StringBuilder(Executable);
            try { sb.Append('|').Append(File.GetLastWriteTimeUtc(Executable).Ticks); } catch (Exception) { }
            if (_env != null)
                foreach (var kv in _env.OrderBy(k => k.Key, StringComparer.Ordinal))
                    sb.Append('|').Append(kv.Key).Append('=').Append(kv.Value);
            return sb.ToString();
        }

        /// <summary>
        /// Runs juju &lt;command&gt; [-m model] args... and returns what it printed, whatever the exit code.
        /// input (may hold secrets: never shown) is written to its standard input, which is then closed.
        /// </summary>
        public JujuResult Run(ICoreHost host, int timeoutSec, IEnumerable<string> secrets, bool withModel, string input, string command, params string[] args)
        {
            var all = new List<string> { command };
            if (withModel && !string.IsNullOrEmpty(_model)) { all.Add("-m"); all.Add(_model); }
            all.AddRange(args);
            var display = "juju " + string.Join(" ", all.Select(DisplayArg));
            host.Cancellation.ThrowIfCancellationRequested();
            host.WriteVerbose(display);

            var psi = new ProcessStartInfo(Executable, string.Join(" ", all.Select(Quote)))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                CreateNoWindow = true,
                StandardOutputEncoding = new UTF8Encoding(false),
                StandardErrorEncoding = new UTF8Encoding(false),
            };
            if (_env != null) foreach (var kv in _env) psi.EnvironmentVariables[kv.Key] = kv.Value;
            psi.EnvironmentVariables["NO_COLOR"] = "1";

            using (var p = new Process { StartInfo = psi })
            {
                try { p.Start(); }
                catch (Exception e)
                {
                    throw JujuMessages.NotStarted(Executable, e);
                }
                var stdout = p.StandardOutput.ReadToEndAsync();
                var stderr = p.StandardError.ReadToEndAsync();
                // Written beside the wait below, so that a juju that never reads it can't hold us past the timeout.
                var stdin = p.StandardInput;
                System.Threading.Tasks.Task.Run(() =>
                {
                    try
                    {
                        if (!string.IsNullOrEmpty(input))
                        {
                            // The writer's own encoding may have a preamble (Windows PowerShell): let it go first, not last.
                            stdin.Flush();
                            var bytes = new UTF8Encoding(false).GetBytes(input);
                            stdin.BaseStream.Write(bytes, 0, bytes.Length);
                            stdin.BaseStream.Flush();
                        }
                    }
                    catch (Exception) { } // juju exited or was stopped without reading it
                    finally
                    {
                        try { stdin.Close(); } catch (Exception) { }
                    }
                });
                var limit = TimeSpan.FromSeconds(timeoutSec > 0 ? timeoutSec : 300);
                var watch = Stopwatch.StartNew();
                var token = host.Cancellation;
                while (!p.WaitForExit(50))
                {
                    if (token.IsCancellationRequested)
                    {
                        Kill(p);
                        host.WriteVerbose(display + ": stopped");
                        token.ThrowIfCancellationRequested();
                    }
                    if (watch.Elapsed > limit)
                    {
                        Kill(p);
                        throw JujuMessages.CommandTimedOut(display, (int)limit.TotalSeconds);
                    }
                }
                p.WaitForExit();
                var rOut = stdout.Wait(TimeSpan.FromSeconds(10)) ? stdout.Result : "";
                var rErr = stderr.Wait(TimeSpan.FromSeconds(10)) ? stderr.Result : "";
                var result = new JujuResult { ExitCode = p.ExitCode, Stdout = rOut, Stderr = SecretScrubber.Scrub(rErr, secrets), Display = display };
                if (result.Stderr.Trim().Length > 0) host.WriteDebug(display + ": " + result.Stderr.Trim());
                return result;
            }
        }

        /// <summary>Run; a non-zero exit becomes the matching ExternalIdpException.</summary>
        public JujuResult RunChecked(ICoreHost host, int timeoutSec, IEnumerable<string> secrets, string command, params string[] args)
        {
            var r = Run(host, timeoutSec, secrets, true, null, command, args);
            if (r.ExitCode != 0) throw Failed(r, null);
            return r;
        }

        private static void Kill(Process p)
        {
            try
            {
                var tree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });
                if (tree != null) tree.Invoke(p, new object[] { true });
                else p.Kill();
            }
            catch (Exception) { }
            try { p.WaitForExit(5000); } catch (Exception) { }
        }

        /// <summary>The ERROR text juju printed (without progress lines), or its last lines.</summary>
        public static string ErrorText(JujuResult r)
        {
            var lines = r.Stderr.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
            var i = lines.FindIndex(l => l.StartsWith("ERROR", StringComparison.Ordinal));
            var text = i >= 0 ? string.Join(" ", lines.Skip(i)) : string.Join(" ", lines.Skip(Math.Max(0, lines.Count - 3)));
            // Never fall back to stdout: some outputs (export-bundle, config) carry secrets.
            if (text.Length > 1000) text = text.Substring(0, 1000) + "...";
            return text.Length == 0 ? $"exit code {r.ExitCode}, no message" : text;
        }

        /// <summary>The exception for a failed juju command: model not found, or JujuCommandFailed with juju's message.</summary>
        public ExternalIdpException Failed(JujuResult r, string fix)
        {
            var text = ErrorText(r);
            if (IsModelNotFound(text))
                return JujuMessages.ModelNotFound(_model, text);
            if (IsConnection(text)) return JujuMessages.Unreachable(r.Display, text, fix);
            return JujuMessages.CommandFailed(r.Display, text, fix);
        }

        public static bool IsModelNotFound(string text)
            => text.IndexOf("ERROR model ", StringComparison.Ordinal) >= 0 && text.IndexOf("not found", StringComparison.Ordinal) >= 0
               || text.IndexOf("no current model", StringComparison.OrdinalIgnoreCase) >= 0;

        public static bool IsConnection(string text)
            => text.IndexOf("cannot connect to API", StringComparison.OrdinalIgnoreCase) >= 0
               || text.IndexOf("No controllers registered", StringComparison.OrdinalIgnoreCase) >= 0
               || text.IndexOf("no current controller", StringComparison.OrdinalIgnoreCase) >= 0;

        private static string DisplayArg(string a) => a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c == '"' || c == '\'') ? "'" + a.Replace("'", "''") + "'" : a;

        /// <summary>Quotes one argument for ProcessStartInfo.Arguments (the CommandLineToArgvW rules .NET uses on every OS).</summary>
        internal static string Quote(string arg)
        {
            if (arg.Length > 0 && arg.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0) return arg;
            var sb = new StringBuilder("\"");
            int backslashes = 0;
            foreach (var c in arg)
            {
                if (c == '\\') { backslashes++; continue; }
                if (c == '"') { sb.Append('\\', backslashes * 2 + 1).Append('"'); backslashes = 0; continue; }
                sb.Append('\\', backslashes).Append(c);
                backslashes = 0;
            }
            sb.Append('\\', backslashes * 2).Append('"');
            return sb.ToString();
        }
    }
}
