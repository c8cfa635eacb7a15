using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using ExternalIdp.Core;
using ExternalIdp.Core.Juju;
using Newtonsoft.Json.Linq;

namespace ExternalIdp.Core.Tests.Juju
{
    /// <summary>Where the fake juju was built (tests/fakes/FakeJuju/bin/&lt;configuration&gt;/net10.0).</summary>
    internal static class FakeJujuBuild
    {
        private static readonly Lazy<string> s_dir = new Lazy<string>(Locate, LazyThreadSafetyMode.ExecutionAndPublication);
        public static string Directory => s_dir.Value;
        public static string Executable => Path.Combine(Directory, ExeName);
        private static readonly string ExeName = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "juju.exe" : "juju";

        private static string Locate()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "ExternalIdp.sln"))) dir = dir.Parent;
            if (dir == null) throw new InvalidOperationException("ExternalIdp.sln not found above " + AppContext.BaseDirectory);
            var configuration = AppContext.BaseDirectory.Replace('\\', '/').Contains("/Release/") ? "Release" : "Debug";
            var project = Path.Combine(dir.FullName, "tests", "fakes", "FakeJuju");
            var output = Path.Combine(project, "bin", configuration, "net10.0");
            var exe = Path.Combine(output, ExeName);
            if (!File.Exists(exe))
            {
                var psi = new ProcessStartInfo("dotnet", $"build \"{project}\" -c {configuration} -v q") { UseShellExecute = false };
                using (var p = Process.Start(psi)) p.WaitForExit();
                if (!File.Exists(exe)) throw new InvalidOperationException("The fake juju could not be built: " + exe);
            }
            WarmUp(exe);
            return output;
        }

        /// <summary>
        /// Runs the fake once before any test does: the first start of a .NET program on a cold machine can take
        /// seconds, which a test with a short -TimeoutSec would take for a hang.
        /// </summary>
        private static void WarmUp(string exe)
        {
            var root = Path.Combine(Path.GetTempPath(), "fakejuju-warmup-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(root);
            try
            {
                var (code, _, stderr) = Run(exe, new Dictionary<string, string> { ["FAKE_JUJU_STATE"] = Path.Combine(root, "state.json") }, "version");
                if (code != 0) throw new InvalidOperationException($"The fake juju does not run ('juju version' exited {code}): {stderr}");
            }
            finally { System.IO.Directory.Delete(root, true); }
        }

        private static readonly Lazy<string> s_snapDir = new Lazy<string>(CopyToSnapPath, LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>A copy of the fake in a folder whose path holds /snap/, as the juju snap's /snap/bin/juju does (one per test process).</summary>
        public static string SnapDirectory => s_snapDir.Value;

        private static string CopyToSnapPath()
        {
            var dir = Path.Combine(Path.GetTempPath(), $"fakejuju-xunit-{Environment.ProcessId}-{Guid.NewGuid():N}", "snap", "bin");
            System.IO.Directory.CreateDirectory(dir);
            foreach (var f in System.IO.Directory.GetFiles(Directory))
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(Path.Combine(dir, ExeName), File.GetUnixFileMode(Executable));
            AppDomain.CurrentDomain.ProcessExit += (_, __) =>
            {
                try { System.IO.Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(dir))!, true); } catch (Exception) { }
            };
            return dir;
        }

        /// <summary>Runs the fake juju with these variables added (FAKE_JUJU_LOG removed: nothing is logged), input on its standard input.</summary>
        public static (int code, string stdout, string stderr) Run(string exe, IDictionary<string, string> env, params string[] args)
            => RunWithInput(exe, env, null, args);

        public static (int code, string stdout, string stderr) RunWithInput(string exe, IDictionary<string, string> env, string input, params string[] args)
        {
            var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
            psi.Environment.Remove("FAKE_JUJU_LOG");
            using var p = Process.Start(psi)!;
            if (input != null) p.StandardInput.Write(input);
            p.StandardInput.Close();
            var o = p.StandardOutput.ReadToEndAsync();
            var e = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            return (p.ExitCode, o.Result, e.Result);
        }
    }

    /// <summary>
    /// One fake Juju model for one test: its own state, log, option-file folder and home folder, and a
    /// JujuTarget that runs the fake juju (first on PATH for the child process only). snap: the fake runs
    /// from a folder whose path holds /snap/; confined: with the snap's strict confinement.
    /// </summary>
    internal sealed class FakeJujuModel : IDisposable
    {
        /// <param name="kratosVersion">The workload version juju status shows for kratos ("none" for none); null: the seed's (26.2.0 for kratos2, 1.1.0 for kratos1).</param>
        public FakeJujuModel(string seed = "kratos2", int idps = 0, string version = null, bool snap = false, bool confined = false, string kratosVersion = null)
        {
            Root = Path.Combine(Path.GetTempPath(), "fakejuju-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Root);
            TempDir = Path.Combine(Root, "tmp");
            System.IO.Directory.CreateDirectory(TempDir);
            Home = Path.Combine(Root, "home");
            System.IO.Directory.CreateDirectory(Home);
            StatePath = Path.Combine(Root, "state.json");
            LogPath = Path.Combine(Root, "juju.log");
            Env = new Dictionary<string, string>
            {
                ["PATH"] = (snap ? FakeJujuBuild.SnapDirectory : FakeJujuBuild.Directory) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["HOME"] = Home,
                ["FAKE_JUJU_STATE"] = StatePath,
                ["FAKE_JUJU_LOG"] = LogPath,
                ["FAKE_JUJU_SEED"] = seed,
                ["FAKE_JUJU_SEED_IDPS"] = idps.ToString(),
            };
            if (version != null) Env["FAKE_JUJU_VERSION"] = version;
            if (kratosVersion != null) Env["FAKE_JUJU_KRATOS_VERSION"] = kratosVersion;
            if (confined) Env["FAKE_JUJU_CONFINEMENT"] = "strict";
        }

        public string Root { get; }
        public string TempDir { get; }
        /// <summary>HOME of the juju this model runs (and where ExternalIdp puts files for the juju snap).</summary>
        public string Home { get; }
        /// <summary>~/snap/juju/common: where options files for the juju snap go.</summary>
        public string SnapCommon => Path.Combine(Home, "snap", "juju", "common");
        public string StatePath { get; }
        public string LogPath { get; }
        public Dictionary<string, string> Env { get; }

        public JujuTarget Target(string model = null, string kratos = "kratos")
            => new JujuTarget(model, kratos, new Dictionary<string, string>(Env), TempDir, TimeSpan.FromMilliseconds(20));

        /// <summary>Every logged invocation (argv), optionally without `juju version`.</summary>
        public List<string[]> Calls(bool withVersion = false)
            => LogLines().Select(l => l["argv"].Select(a => (string)a).ToArray())
                .Where(a => withVersion || a.FirstOrDefault() != "version").ToList();

        public List<JObject> LogLines()
            => File.Exists(LogPath) ? File.ReadAllLines(LogPath).Where(l => l.Trim().Length > 0).Select(JObject.Parse).ToList() : new List<JObject>();

        public string LogText => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

        public void ClearLog() { if (File.Exists(LogPath)) File.Delete(LogPath); }

        public int Mark => Calls().Count;
        public List<string[]> CallsSince(int mark) => Calls().Skip(mark).ToList();

        /// <summary>Runs the fake juju directly (to set things up or look at the model) without logging it.</summary>
        public (int code, string stdout, string stderr) Juju(params string[] args)
            => FakeJujuBuild.Run(FakeJujuBuild.Executable, Env, args);

        /// <summary>Runs the fake juju directly with input on its standard input (not logged).</summary>
        public (int code, string stdout, string stderr) JujuWithInput(string input, params string[] args)
            => FakeJujuBuild.RunWithInput(FakeJujuBuild.Executable, Env, input, args);

        /// <summary>What the kratos charm renders for its registered integrators and what Kratos reads from it (juju fake-kratos-config).</summary>
        public JObject KratosConfig() => JObject.Parse(Juju("fake-kratos-config").stdout);

        public JObject State => JObject.Parse(File.ReadAllText(StatePath));
        public JObject App(string name) => (JObject)((JObject)State["Models"]!.First!.First!["Applications"]!)[name];
        public JObject Status() => JObject.Parse(Juju("status", "--format=json").stdout);
        public (string current, string message) AppStatus(string name)
        {
            var s = (JObject)Status()["applications"]![name]!["application-status"]!;
            return ((string)s["current"], (string)s["message"]);
        }

        public bool Related(string app, string other = "kratos")
            => ((JArray)State["Models"]!.First!.First!["Relations"]!).Any(r => ((string)r["A"] == app && (string)r["B"] == other) || ((string)r["B"] == app && (string)r["A"] == other));

        public void Dispose()
        {
            try { System.IO.Directory.Delete(Root, true); } catch (Exception) { }
        }
    }

    /// <summary>A host that records everything said to it.</summary>
    internal sealed class RecordingHost : ICoreHost
    {
        public List<string> Verbose { get; } = new List<string>();
        public List<string> Debug { get; } = new List<string>();
        public List<string> Warnings { get; } = new List<string>();
        public List<string> Progress { get; } = new List<string>();
        public List<(string target, string action)> Asked { get; } = new List<(string, string)>();
        public bool Answer { get; set; } = true;
        public CancellationTokenSource Cts { get; } = new CancellationTokenSource();

        public void WriteVerbose(string message) { lock (this) Verbose.Add(message); }
        public void WriteDebug(string message) { lock (this) Debug.Add(message); }
        public void WriteWarning(string message) { lock (this) Warnings.Add(message); }
        public void WriteProgress(string activity, string status, int percent, bool completed) { lock (this) Progress.Add($"{activity}|{status}|{percent}|{completed}"); }
        public bool ShouldProcess(string target, string action) { lock (this) Asked.Add((target, action)); return Answer; }
        public CancellationToken Cancellation => Cts.Token;

        public string AllText
        {
            get
            {
                lock (this)
                    return string.Join("\n", Verbose.Concat(Debug).Concat(Warnings).Concat(Progress).Concat(Asked.Select(a => a.target + " " + a.action)));
            }
        }
    }
}
