using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace FakeJuju;

/// <summary>Thrown to end the command with juju's text on stderr and an exit code.</summary>
public sealed class JujuExit : Exception
{
    public JujuExit(int code, string stderr) : base(stderr) { Code = code; }
    public int Code { get; }
}

public static partial class Program
{
    public static int Main(string[] argv)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        var statePath = Environment.GetEnvironmentVariable("FAKE_JUJU_STATE");
        if (string.IsNullOrEmpty(statePath))
        {
            Console.Error.WriteLine("ERROR fake juju: FAKE_JUJU_STATE is not set (path of the JSON file that holds the model state)");
            return 3;
        }
        try
        {
            if (argv.Length > 0 && argv[0] == "fake-seed")
                return FakeSeed(statePath, argv.Skip(1).ToArray());
            if (argv.Length > 0 && argv[0] == "fake-kratos-config")
                return FakeKratosConfig(statePath, argv.Skip(1).ToArray());

            // `juju config <app> --file -` reads the options from standard input (read once, before anything else).
            if (ReadsStdin(argv))
                Stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false)).ReadToEnd();

            var delay = Environment.GetEnvironmentVariable("FAKE_JUJU_DELAY_MS");
            if (int.TryParse(delay, out var ms) && ms > 0) Thread.Sleep(ms);

            var verb = argv.FirstOrDefault(a => !a.StartsWith('-') && !IsModelValue(argv, a)) ?? "";
            var hang = Environment.GetEnvironmentVariable("FAKE_JUJU_HANG");
            if (!string.IsNullOrEmpty(hang) && Matches(hang.Split(',').Select(h => h.Trim()), verb))
            {
                Log(statePath, argv);
                Thread.Sleep(Timeout.Infinite);
            }

            using var _ = Lock(statePath);
            var state = File.Exists(statePath) ? State.Load(statePath) : SeedFromEnv();
            Log(statePath, argv);
            var canonical = Canonical(verb);
            state.Calls[canonical] = state.Calls.GetValueOrDefault(canonical) + 1;
            try
            {
                CheckFail(verb, canonical, state.Calls[canonical]);
                var code = new Runner(state, argv).Run();
                return code;
            }
            catch (JujuExit e)
            {
                Console.Error.WriteLine(e.Message);
                return e.Code;
            }
            finally
            {
                state.Save(statePath);
            }
        }
        catch (JujuExit e)
        {
            Console.Error.WriteLine(e.Message);
            return e.Code;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // What juju does with input it can't read: one ERROR line, exit 1.
            Console.Error.WriteLine("ERROR " + e.Message);
            return 1;
        }
    }

    private static bool IsModelValue(string[] argv, string a)
    {
        var i = Array.IndexOf(argv, a);
        return i > 0 && (argv[i - 1] == "-m" || argv[i - 1] == "--model");
    }

    /// <summary>What standard input held, when the command reads it (`--file -`); else null.</summary>
    internal static string? Stdin { get; private set; }

    private static bool ReadsStdin(string[] argv)
    {
        for (int i = 0; i < argv.Length; i++)
            if ((argv[i] == "--file" && i + 1 < argv.Length && argv[i + 1] == "-") || argv[i] == "--file=-") return true;
        return false;
    }

    /// <summary>
    /// FAKE_JUJU_CONFINEMENT=strict: the juju 3 snap, which is strictly confined. A file it is handed is read
    /// as the snap sees it: its own ~/snap/juju/ and the non-hidden files of $HOME are readable (the home plug);
    /// a top-level hidden folder or file of $HOME and another snap's ~/snap/&lt;name&gt; are "permission denied";
    /// /tmp is the snap's private one, so a file another process wrote there does not exist; anything else
    /// outside $HOME is "permission denied". $HOME is judged first, so a test may put it under /tmp.
    /// </summary>
    internal static void RequireReadable(string path)
    {
        if (!string.Equals(Environment.GetEnvironmentVariable("FAKE_JUJU_CONFINEMENT"), "strict", StringComparison.OrdinalIgnoreCase)) return;
        var full = Path.GetFullPath(path).Replace('\\', '/');
        var home = (Environment.GetEnvironmentVariable("HOME") ?? "").Replace('\\', '/').TrimEnd('/');
        if (home.Length > 0 && full.StartsWith(home + "/", StringComparison.Ordinal))
        {
            var parts = full[(home.Length + 1)..].Split('/');
            if (parts[0].StartsWith('.') || (parts[0] == "snap" && (parts.Length < 3 || parts[1] != "juju")))
                throw new JujuExit(1, $"ERROR open {path}: permission denied");
            return;
        }
        if (full == "/tmp" || full.StartsWith("/tmp/", StringComparison.Ordinal))
            throw new JujuExit(1, $"ERROR open {path}: no such file or directory");
        throw new JujuExit(1, $"ERROR open {path}: permission denied");
    }

    internal static string Version => Environment.GetEnvironmentVariable("FAKE_JUJU_VERSION") is { Length: > 0 } v ? v : "3.6.1-genericlinux-amd64";
    internal static bool Is2 => Version.StartsWith("2.", StringComparison.Ordinal);

    internal static string Canonical(string verb) => verb switch
    {
        "relate" or "add-relation" => "integrate",
        "run-action" => "run",
        _ => verb,
    };

    private static bool Matches(IEnumerable<string> names, string verb)
        => names.Any(n => n == verb || n == Canonical(verb) || Canonical(n) == Canonical(verb));

    /// <summary>FAKE_JUJU_FAIL=cmd[:n][,cmd2[:n]]: that command fails (only its n-th call when :n is given).</summary>
    private static void CheckFail(string verb, string canonical, int callNumber)
    {
        var fail = Environment.GetEnvironmentVariable("FAKE_JUJU_FAIL");
        if (string.IsNullOrEmpty(fail)) return;
        foreach (var item in fail.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split(':');
            if (!Matches(new[] { parts[0] }, verb)) continue;
            if (parts.Length > 1 && int.TryParse(parts[1], out var n) && n != callNumber) continue;
            throw new JujuExit(1, "ERROR cannot connect to API: dial tcp 10.152.183.5:17070: connect: connection refused");
        }
    }

    private static State SeedFromEnv()
    {
        var variant = Environment.GetEnvironmentVariable("FAKE_JUJU_SEED") ?? "kratos2";
        // A path: a state file written earlier (e.g. copied from another test) is the seed.
        if (variant.IndexOfAny(new[] { '/', '\\' }) >= 0 && File.Exists(variant)) return State.Load(variant);
        int.TryParse(Environment.GetEnvironmentVariable("FAKE_JUJU_SEED_IDPS"), out var n);
        return State.Seed(variant, n, kratosVersion: Environment.GetEnvironmentVariable("FAKE_JUJU_KRATOS_VERSION"));
    }

    /// <summary>
    /// juju fake-kratos-config [kratos-app]: what the kratos charm would render for its registered, enabled
    /// integrators, and what Kratos would read from it (not logged; holds secrets, for tests only).
    /// </summary>
    private static int FakeKratosConfig(string statePath, string[] args)
    {
        var kratos = args.Length > 0 ? args[0] : "kratos";
        using var _ = Lock(statePath);
        var state = File.Exists(statePath) ? State.Load(statePath) : SeedFromEnv();
        var model = state.Models[state.Current];
        var rendered = Charms.RenderProviders(Charms.RegisteredIdps(model, kratos));
        var reading = Charms.ReadAsKratos(rendered);
        var providers = new JsonArray();
        foreach (var p in reading.Providers)
        {
            var o = new JsonObject();
            foreach (var (k, v) in p) o[k] = new JsonObject { ["type"] = v.Type, ["value"] = v.Text };
            providers.Add(o);
        }
        var root = new JsonObject { ["rendered"] = rendered, ["error"] = reading.Error, ["providers"] = providers };
        Console.WriteLine(root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return 0;
    }

    /// <summary>juju fake-seed [kratos2|kratos1|nokratos] [--idps N] [--model NAME] [--kratos-version V]: writes a fresh state (not logged).</summary>
    private static int FakeSeed(string statePath, string[] args)
    {
        string variant = "kratos2", model = "iam";
        string? kratosVersion = null;
        int idps = 0;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--idps") idps = int.Parse(args[++i]);
            else if (args[i] == "--model") model = args[++i];
            else if (args[i] == "--kratos-version") kratosVersion = args[++i];
            else variant = args[i];
        }
        using var _ = Lock(statePath);
        State.Seed(variant, idps, model, kratosVersion).Save(statePath);
        return 0;
    }

    private static IDisposable Lock(string statePath)
    {
        var lockPath = statePath + ".lock";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try { return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose); }
            catch (IOException) when (DateTime.UtcNow < deadline) { Thread.Sleep(15); }
        }
    }

    /// <summary>One JSON line per invocation: argv, and for option files their mode and option names (never values).</summary>
    private static void Log(string statePath, string[] argv)
    {
        var logPath = Environment.GetEnvironmentVariable("FAKE_JUJU_LOG");
        if (string.IsNullOrEmpty(logPath)) return;
        var entry = new JsonObject { ["argv"] = new JsonArray(argv.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()) };
        var files = new JsonArray();
        for (int i = 0; i < argv.Length; i++)
        {
            string? path = null;
            if ((argv[i] == "--config" || argv[i] == "--file") && i + 1 < argv.Length) path = argv[i + 1];
            else if (argv[i].StartsWith("--config=") || argv[i].StartsWith("--file=")) path = argv[i][(argv[i].IndexOf('=') + 1)..];
            if (path == "-")
            {
                var keys = new JsonArray();
                foreach (var (app, opts) in ReadOptions(new StringReader(Stdin ?? "")))
                    foreach (var k in opts.Keys) keys.Add($"{app}.{k}");
                files.Add(new JsonObject { ["path"] = "-", ["stdin"] = true, ["keys"] = keys });
                continue;
            }
            if (path == null || path.Contains('=') && !File.Exists(path)) continue;
            var f = new JsonObject { ["path"] = path, ["exists"] = File.Exists(path) };
            if (File.Exists(path))
            {
                if (!OperatingSystem.IsWindows())
                    f["mode"] = Convert.ToString((int)File.GetUnixFileMode(path), 8);
                try
                {
                    var keys = new JsonArray();
                    foreach (var (app, opts) in ReadOptionsFile(path))
                        foreach (var k in opts.Keys) keys.Add($"{app}.{k}");
                    f["keys"] = keys;
                }
                catch (Exception) { f["keys"] = null; }
            }
            files.Add(f);
        }
        if (files.Count > 0) entry["files"] = files;
        File.AppendAllText(logPath, entry.ToJsonString() + "\n");
    }

    /// <summary>An options file: <c>app: {key: value}</c>. Values as strings.</summary>
    internal static List<(string app, Dictionary<string, string> opts)> ReadOptionsFile(string path)
    {
        using var r = new StreamReader(path);
        return ReadOptions(r);
    }

    /// <summary>Options as juju reads them from a file or standard input: <c>app: {key: value}</c>. Values as strings.</summary>
    internal static List<(string app, Dictionary<string, string> opts)> ReadOptions(TextReader reader)
    {
        var yaml = new YamlStream();
        yaml.Load(reader);
        var result = new List<(string, Dictionary<string, string>)>();
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root) return result;
        foreach (var kv in root.Children)
        {
            var app = ((YamlScalarNode)kv.Key).Value ?? "";
            var opts = new Dictionary<string, string>();
            if (kv.Value is YamlMappingNode m)
                foreach (var o in m.Children)
                    opts[((YamlScalarNode)o.Key).Value ?? ""] = o.Value is YamlScalarNode s ? s.Value ?? "" : o.Value.ToString();
            result.Add((app, opts));
        }
        return result;
    }
}
