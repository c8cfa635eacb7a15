using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace FakeJuju;

/// <summary>Runs one juju command against the state, printing what juju prints.</summary>
public sealed class Runner
{
    private static readonly Regex AppName = new(@"^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$");
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly Regex Duration = new(@"^\d+(\.\d+)?(ns|us|ms|s|m|h)$");

    private readonly State _state;
    private readonly string _verb;
    private readonly List<string> _pos = new();
    private readonly Dictionary<string, string?> _opts = new();
    private readonly string? _modelArg;
    private readonly bool _is2 = Program.Is2;

    public Runner(State state, string[] argv)
    {
        _state = state;
        var list = argv.ToList();
        // -m / --model may appear anywhere
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == "-m" || list[i] == "--model")
            {
                if (i + 1 >= list.Count) throw new JujuExit(2, "ERROR option needs an argument: " + list[i]);
                _modelArg = list[i + 1];
                list.RemoveRange(i, 2);
                i--;
            }
            else if (list[i].StartsWith("--model=") || list[i].StartsWith("-m="))
            {
                _modelArg = list[i][(list[i].IndexOf('=') + 1)..];
                list.RemoveAt(i);
                i--;
            }
        }
        _verb = list.FirstOrDefault(a => !a.StartsWith('-')) ?? "";
        if (_verb.Length > 0) list.Remove(_verb);
        ParseOptions(list);
    }

    private static readonly Dictionary<string, (string[] valued, string[] flags)> Spec = new()
    {
        ["version"] = (new[] { "--format" }, new[] { "--all" }),
        ["status"] = (new[] { "--format" }, new[] { "--relations", "--storage" }),
        ["config"] = (new[] { "--format", "--file", "--reset" }, new string[0]),
        ["deploy"] = (new[] { "--channel", "--config", "--revision", "--base", "--series", "-n", "--num-units" }, new[] { "--trust" }),
        ["integrate"] = (new string[0], new string[0]),
        ["remove-relation"] = (new string[0], new[] { "--force" }),
        ["remove-application"] = (new string[0], new[] { "--no-prompt", "--force", "--no-wait", "--destroy-storage" }),
        ["run"] = (new[] { "--format", "--wait" }, new[] { "--background" }),
        ["run-action"] = (new[] { "--format" }, new[] { "--wait" }),
        ["show-unit"] = (new[] { "--format", "--endpoint", "--related-unit" }, new[] { "--app" }),
        ["export-bundle"] = (new[] { "--filename" }, new[] { "--include-charm-defaults" }),
        ["switch"] = (new string[0], new string[0]),
    };

    private string Command => _verb switch
    {
        "relate" => "integrate",
        "integrate" when !_is2 => "integrate",
        "add-relation" when _is2 => "integrate",
        "run-action" when _is2 => "run-action",
        "exec" when !_is2 => "exec",
        "remove-integration" => "unknown",
        _ => Spec.ContainsKey(_verb) && _verb != "integrate" && _verb != "run-action" ? _verb : "unknown",
    };

    private void ParseOptions(List<string> args)
    {
        var cmd = Command;
        Spec.TryGetValue(cmd, out var spec);
        if (cmd == "remove-application" && _is2) spec = (spec.valued, spec.flags.Where(f => f != "--no-prompt").ToArray());
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith('-') || a == "-") { _pos.Add(a); continue; }
            if (cmd == "unknown") continue;
            string name = a, value = null!;
            var eq = a.IndexOf('=');
            if (eq > 0) { name = a[..eq]; value = a[(eq + 1)..]; }
            if (spec.valued != null && spec.valued.Contains(name))
            {
                if (value == null)
                {
                    if (i + 1 >= args.Count) throw new JujuExit(2, $"ERROR option needs an argument: {name}");
                    value = args[++i];
                }
                if (name == "--config" && _opts.ContainsKey("--config") && _opts["--config"] != null)
                    _opts["--config"] += "\u0000" + value;
                else _opts[name] = value;
            }
            else if (spec.flags != null && spec.flags.Contains(name))
            {
                _opts[name] = value ?? "true";
            }
            else throw new JujuExit(2, $"ERROR option provided but not defined: {name}");
        }
    }

    public int Run()
    {
        switch (Command)
        {
            case "version": Console.WriteLine(Program.Version); return 0;
            case "switch": return Switch();
            case "unknown":
                throw new JujuExit(2, _verb.Length == 0
                    ? "ERROR no command specified"
                    : $"ERROR juju: \"{_verb}\" is not a juju command. See \"juju --help\".");
            case "exec":
                throw new JujuExit(2, "ERROR fake juju does not implement exec");
        }
        var model = ResolveModel();
        switch (Command)
        {
            case "status": return Status(model);
            case "config": return Config(model);
            case "deploy": return Deploy(model);
            case "integrate": return Integrate(model);
            case "remove-relation": return RemoveRelation(model);
            case "remove-application": return RemoveApplication(model);
            case "run": return _is2 ? RunExec29() : RunAction(model);
            case "run-action": return RunAction(model);
            case "show-unit": return ShowUnit(model);
            case "export-bundle": return ExportBundle(model);
        }
        throw new JujuExit(2, $"ERROR juju: \"{_verb}\" is not a juju command. See \"juju --help\".");
    }

    // ---------------------------------------------------------------- models

    private (string controller, string owner, string name) Split(string m)
    {
        var cur = _state.Current;
        var curController = cur.Contains(':') ? cur[..cur.IndexOf(':')] : "microk8s";
        string controller = curController, rest = m;
        if (m.Contains(':')) { controller = m[..m.IndexOf(':')]; rest = m[(m.IndexOf(':') + 1)..]; }
        string owner = "admin", name = rest;
        if (rest.Contains('/')) { owner = rest[..rest.IndexOf('/')]; name = rest[(rest.IndexOf('/') + 1)..]; }
        return (controller, owner, name);
    }

    private Model ResolveModel()
    {
        if (_modelArg == null)
        {
            if (_state.Models.TryGetValue(_state.Current, out var cur)) return cur;
            throw new JujuExit(1, "ERROR no current model, use juju switch to select a model to operate on");
        }
        var (c, o, n) = Split(_modelArg);
        var key = $"{c}:{o}/{n}";
        if (_state.Models.TryGetValue(key, out var m)) return m;
        throw new JujuExit(1, $"ERROR model {key} not found");
    }

    private int Switch()
    {
        if (_pos.Count == 0) { Console.WriteLine(_state.Current); return 0; }
        var (c, o, n) = Split(_pos[0]);
        var key = $"{c}:{o}/{n}";
        if (!_state.Models.ContainsKey(key)) throw new JujuExit(1, $"ERROR model {key} not found");
        Console.Error.WriteLine($"{_state.Current} -> {key}");
        _state.Current = key;
        return 0;
    }

    private static App RequireApp(Model m, string name)
        => m.Applications.TryGetValue(name, out var a) ? a : throw new JujuExit(1, $"ERROR application \"{name}\" not found (not found)");

    private string Format(string def = "yaml") => _opts.TryGetValue("--format", out var f) && f != null ? f : def;

    // ---------------------------------------------------------------- integrator logic

    private static string? RelatedKratos(Model m, string integrator)
    {
        foreach (var r in m.RelationsOf(integrator))
        {
            if (!r.Involves(integrator, "kratos-external-idp")) continue;
            var (other, _) = r.Other(integrator);
            if (m.Applications.TryGetValue(other, out var o) && o.Charm == "kratos") return other;
        }
        return null;
    }

    private static string Register => Environment.GetEnvironmentVariable("FAKE_JUJU_REGISTER") is { Length: > 0 } r ? r : "status";

    /// <summary>Workload status of an app (advances a pending registration: the status call after integrate shows waiting once).</summary>
    private static (string current, string message) WorkloadStatus(Model m, string name, App app, bool advance)
    {
        if (app.Charm == Charms.Integrator)
        {
            if (Charms.ConfigProblem(app) != null) return ("blocked", "Invalid OIDC provider configuration");
            if (RelatedKratos(m, name) == null) return ("blocked", "Missing integration kratos-external-idp");
            if (!Charms.Enabled(app)) return ("active", "The OIDC provider is disabled");
            if (app.Registration != "registered")
            {
                if (advance && Register != "never") app.Registration = "registered";
                return ("waiting", "Waiting for the requirer charm to register the OIDC provider");
            }
            return ("active", "The OIDC provider is ready");
        }
        if (app.Charm == "kratos")
        {
            // Kratos refuses its whole config for a provider kind it doesn't know, or a value it reads as anything but text.
            var idps = Charms.RegisteredIdps(m, name);
            if (idps.Any(i => !Charms.KratosAccepts(Charms.Get(i.app, "provider") ?? "generic"))
                || Charms.ReadAsKratos(Charms.RenderProviders(idps)).Error != null)
                return ("blocked", "Failed to start the service, please check the kratos container logs");
            return ("active", "");
        }
        return ("active", "");
    }

    /// <summary>The kratos public base URL the integrator's relation leads to, or null.</summary>
    private static string? KratosBase(Model m, string kratos)
    {
        foreach (var r in m.RelationsOf(kratos))
        {
            if (r.Involves(kratos, "public-route")) return $"{m.PublicScheme}://{m.PublicHost}";
            if (r.Involves(kratos, "public-ingress")) return $"https://{m.PublicHost}/{m.Name}-{kratos}";
        }
        return null;
    }

    // ---------------------------------------------------------------- status

    private static string Since => "29 Nov 2026 12:00:00Z";

    private int Status(Model m)
    {
        var apps = new JsonObject();
        foreach (var (name, app) in m.Applications.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var (cur, msg) = WorkloadStatus(m, name, app, advance: true);
            var rels = new JsonObject();
            foreach (var r in m.RelationsOf(name).OrderBy(r => r.Side(name).ep))
            {
                var (_, ep) = r.Side(name);
                var (other, _) = r.Other(name);
                if (rels[ep] is not JsonArray arr) { arr = new JsonArray(); rels[ep] = arr; }
                if (_is2) arr.Add(other);
                else arr.Add(new JsonObject { ["related-application"] = other, ["interface"] = r.Interface, ["scope"] = "global" });
            }
            var unitName = $"{name}/{app.LeaderUnit}";
            var unit = new JsonObject
            {
                ["workload-status"] = new JsonObject { ["current"] = cur, ["message"] = msg.Length > 0 ? msg : null, ["since"] = Since },
                ["juju-status"] = new JsonObject { ["current"] = "idle", ["since"] = Since, ["version"] = Program.Version.Split('-')[0] },
                ["leader"] = true,
                ["address"] = "10.1.2." + (10 + Math.Abs(name.GetHashCode() % 200)),
                ["provider-id"] = $"{name}-{app.LeaderUnit}",
            };
            RemoveNulls(unit);
            var a = new JsonObject
            {
                ["charm"] = app.Charm,
                ["base"] = new JsonObject { ["name"] = "ubuntu", ["channel"] = "22.04" },
                ["charm-origin"] = "charmhub",
                ["charm-name"] = app.Charm,
                ["charm-rev"] = app.Rev,
                ["charm-channel"] = app.Channel,
                ["version"] = app.Version,
                ["scale"] = 1,
                ["exposed"] = false,
                ["application-status"] = new JsonObject { ["current"] = cur, ["message"] = msg.Length > 0 ? msg : null, ["since"] = Since },
                ["relations"] = rels.Count > 0 ? rels : null,
                ["units"] = new JsonObject { [unitName] = unit },
                ["endpoint-bindings"] = new JsonObject { [""] = "alpha" },
            };
            RemoveNulls(a);
            RemoveNulls((JsonObject)a["application-status"]!);
            RemoveNulls((JsonObject)((JsonObject)a["units"]![unitName]!)["workload-status"]!);
            apps[name] = a;
        }
        var root = new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["name"] = m.Name, ["type"] = "caas", ["controller"] = m.Controller, ["cloud"] = "microk8s",
                ["region"] = "localhost", ["version"] = Program.Version.Split('-')[0],
                ["model-status"] = new JsonObject { ["current"] = "available", ["since"] = Since }, ["sla"] = "unsupported",
            },
            ["machines"] = new JsonObject(),
            ["applications"] = apps,
            ["storage"] = new JsonObject(),
            ["controller"] = new JsonObject { ["timestamp"] = "12:00:00Z" },
        };
        if (Format("tabular") == "json") Console.WriteLine(root.ToJsonString(Relaxed));
        else
        {
            Console.WriteLine($"Model  Controller  Cloud/Region        Version");
            Console.WriteLine($"{m.Name}  {m.Controller}    microk8s/localhost  {Program.Version.Split('-')[0]}");
            Console.WriteLine();
            foreach (var (name, _) in m.Applications) Console.WriteLine(name);
        }
        return 0;
    }

    private static void RemoveNulls(JsonObject o)
    {
        foreach (var k in o.Where(kv => kv.Value == null).Select(kv => kv.Key).ToList()) o.Remove(k);
    }

    // ---------------------------------------------------------------- config

    private void ValidateOption(App app, string key, string value)
    {
        var opts = Charms.OptionsOf(app.Charm);
        if (!opts.TryGetValue(key, out var o)) throw new JujuExit(1, $"ERROR unknown option \"{key}\"");
        if (o.Type == "boolean" && !bool.TryParse(value, out _))
            throw new JujuExit(1, $"ERROR option \"{key}\" expected boolean, got \"{value}\"");
    }

    private static string Bool(string v) => bool.Parse(v) ? "true" : "false";

    private void SetOption(App app, string key, string value)
    {
        ValidateOption(app, key, value);
        if (Charms.OptionsOf(app.Charm)[key].Type == "boolean") value = Bool(value);
        app.Config[key] = value;
    }

    private int Config(Model m)
    {
        if (_pos.Count == 0) throw new JujuExit(2, "ERROR no application name specified");
        var name = _pos[0];
        var app = RequireApp(m, name);
        var assignments = _pos.Skip(1).Where(p => p.Contains('=')).ToList();
        var keys = _pos.Skip(1).Where(p => !p.Contains('=')).ToList();
        _opts.TryGetValue("--file", out var file);
        _opts.TryGetValue("--reset", out var reset);
        if (file == null && reset == null && assignments.Count == 0)
        {
            if (keys.Count > 1) throw new JujuExit(2, "ERROR can only retrieve a single value, or all values");
            var opts = Charms.OptionsOf(app.Charm);
            if (keys.Count == 1)
            {
                if (!opts.ContainsKey(keys[0])) throw new JujuExit(1, $"ERROR key \"{keys[0]}\" not found in \"{name}\" application config or charm settings.");
                Console.WriteLine(app.Config.TryGetValue(keys[0], out var v) ? v : opts[keys[0]].Default ?? "");
                return 0;
            }
            var settings = new JsonObject();
            foreach (var (k, o) in opts.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                var s = new JsonObject { ["default"] = null, ["description"] = o.Description, ["source"] = "unset", ["type"] = o.Type };
                if (o.Default != null) { s["default"] = Typed(o, o.Default); s["source"] = "default"; s["value"] = Typed(o, o.Default); }
                else s.Remove("default");
                if (app.Config.TryGetValue(k, out var v)) { s["source"] = "user"; s["value"] = Typed(o, v); }
                settings[k] = s;
            }
            var root = new JsonObject
            {
                ["application"] = name, ["charm"] = app.Charm,
                ["application-config"] = new JsonObject { ["trust"] = new JsonObject { ["default"] = false, ["description"] = "Does this application have access to trusted credentials", ["source"] = app.Trust ? "user" : "default", ["type"] = "bool", ["value"] = app.Trust } },
                ["settings"] = settings,
            };
            if (Format() == "json") Console.WriteLine(root.ToJsonString(Relaxed));
            else Console.Write(new SerializerBuilder().Build().Serialize(JsonSerializer.Deserialize<object>(root.ToJsonString(), new JsonSerializerOptions())!.ToPlain()));
            return 0;
        }
        if (keys.Count > 0) throw new JujuExit(2, $"ERROR cannot get value and set value at the same time: {keys[0]}");
        var changes = new Dictionary<string, string>();
        if (file != null)
        {
            List<(string app, Dictionary<string, string> opts)> read;
            if (file == "-") read = Program.ReadOptions(new StringReader(Program.Stdin ?? ""));
            else
            {
                Program.RequireReadable(file);
                if (!File.Exists(file)) throw new JujuExit(1, $"ERROR open {file}: no such file or directory");
                read = Program.ReadOptionsFile(file);
            }
            var opts = read.Where(x => x.app == name).Select(x => x.opts).FirstOrDefault()
                ?? throw new JujuExit(1, $"ERROR no settings found for \"{name}\"");
            foreach (var kv in opts) changes[kv.Key] = kv.Value;
        }
        foreach (var a in assignments) changes[a[..a.IndexOf('=')]] = a[(a.IndexOf('=') + 1)..];
        var resets = (reset ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var k in resets)
            if (!Charms.OptionsOf(app.Charm).ContainsKey(k)) throw new JujuExit(1, $"ERROR unknown option \"{k}\"");
        foreach (var kv in changes) ValidateOption(app, kv.Key, kv.Value);
        foreach (var kv in changes) SetOption(app, kv.Key, kv.Value);
        foreach (var k in resets) app.Config.Remove(k);
        return 0;
    }

    private static JsonNode? Typed(Option o, string v) => o.Type == "boolean" ? JsonValue.Create(bool.Parse(v)) : o.Type == "int" ? JsonValue.Create(long.Parse(v)) : JsonValue.Create(v);

    // ---------------------------------------------------------------- deploy

    private int Deploy(Model m)
    {
        if (_pos.Count == 0) throw new JujuExit(2, "ERROR no charm name specified");
        var charm = _pos[0];
        if (charm.StartsWith("ch:")) charm = charm[3..];
        if (!Charms.Revisions.ContainsKey(charm))
            throw new JujuExit(1, $"ERROR cannot resolve charm or bundle \"{charm}\": charm or bundle not found");
        var name = _pos.Count > 1 ? _pos[1] : charm;
        if (_pos.Count > 2) throw new JujuExit(2, $"ERROR unrecognized args: [\"{_pos[2]}\"]");
        if (!AppName.IsMatch(name)) throw new JujuExit(1, $"ERROR invalid application name \"{name}\", unexpected number(s) found after last hyphen");
        var channel = _opts.TryGetValue("--channel", out var c) && c != null ? c : "latest/stable";
        if (!Regex.IsMatch(channel, @"^([a-z0-9][a-z0-9.\-]*/)?(stable|candidate|beta|edge)(/[a-z0-9\-]+)?$"))
            throw new JujuExit(1, $"ERROR invalid risk in channel \"{channel}\"");
        if (m.Applications.ContainsKey(name))
            throw new JujuExit(1, $"ERROR cannot add application \"{name}\": application already exists");
        var app = new App { Charm = charm, Channel = channel, Rev = Charms.Revisions[charm], Trust = _opts.ContainsKey("--trust") };
        if (_opts.TryGetValue("--config", out var cfgs) && cfgs != null)
        {
            foreach (var cfg in cfgs.Split('\u0000'))
            {
                if (cfg.Contains('=') && !File.Exists(cfg))
                {
                    SetOption(app, cfg[..cfg.IndexOf('=')], cfg[(cfg.IndexOf('=') + 1)..]);
                    continue;
                }
                Program.RequireReadable(cfg);
                if (!File.Exists(cfg)) throw new JujuExit(1, $"ERROR open {cfg}: no such file or directory");
                var opts = Program.ReadOptionsFile(cfg).Where(x => x.app == name).Select(x => x.opts).FirstOrDefault()
                    ?? throw new JujuExit(1, $"ERROR no settings found for \"{name}\"");
                foreach (var kv in opts) SetOption(app, kv.Key, kv.Value);
            }
        }
        m.Applications[name] = app;
        Console.Error.WriteLine($"Located charm \"{charm}\" in charm-hub, channel {channel}");
        Console.Error.WriteLine($"Deploying \"{name}\" from charm-hub charm \"{charm}\", revision {app.Rev} in channel {channel} on ubuntu@22.04/stable");
        return 0;
    }

    // ---------------------------------------------------------------- relations

    private (string app, string? ep) ParseEnd(string s)
        => s.Contains(':') ? (s[..s.IndexOf(':')], s[(s.IndexOf(':') + 1)..]) : (s, null);

    private int Integrate(Model m)
    {
        if (_pos.Count != 2) throw new JujuExit(2, "ERROR a relation must involve two applications");
        var (a, aep) = ParseEnd(_pos[0]);
        var (b, bep) = ParseEnd(_pos[1]);
        var appA = RequireApp(m, a);
        var appB = RequireApp(m, b);
        var epsA = Charms.Endpoints.GetValueOrDefault(appA.Charm) ?? Array.Empty<Endpoint>();
        var epsB = Charms.Endpoints.GetValueOrDefault(appB.Charm) ?? Array.Empty<Endpoint>();
        var candidates = (from x in epsA from y in epsB
                          where x.Interface == y.Interface && x.Role != y.Role
                             && (aep == null || x.Name == aep) && (bep == null || y.Name == bep)
                          select (x, y)).ToList();
        if (candidates.Count == 0)
            throw new JujuExit(1, $"ERROR no relations found between \"{_pos[0]}\" and \"{_pos[1]}\"");
        if (candidates.Count > 1)
            throw new JujuExit(1, $"ERROR ambiguous relation: \"{_pos[0]} {_pos[1]}\" could refer to {string.Join("; ", candidates.Select(c => $"\"{a}:{c.x.Name} {b}:{c.y.Name}\""))}");
        var (ea, eb) = candidates[0];
        var key = $"{a}:{ea.Name} {b}:{eb.Name}";
        if (m.Relations.Any(r => r.Involves(a, ea.Name) && r.Involves(b, eb.Name) && r.Other(a).app == b))
            throw new JujuExit(1, $"ERROR cannot add relation \"{key}\": relation {key} (already exists)");
        foreach (var (app, ep) in new[] { (a, ea), (b, eb) })
            if (ep.Limit > 0 && m.Relations.Count(r => r.Involves(app, ep.Name)) >= ep.Limit)
                throw new JujuExit(1, $"ERROR cannot add relation \"{key}\": establishing a new relation for {app}:{ep.Name} would exceed its maximum relation limit of {ep.Limit} (quota limit exceeded)");
        m.Relations.Add(new Rel(a, ea.Name, b, eb.Name, ea.Interface) { Id = m.Relations.Count + 10 });
        foreach (var (n, app) in new[] { (a, appA), (b, appB) })
            if (app.Charm == Charms.Integrator && RelatedKratos(m, n) != null)
                app.Registration = Register == "immediate" ? "registered" : "pending";
        return 0;
    }

    private int RemoveRelation(Model m)
    {
        if (_pos.Count != 2) throw new JujuExit(2, "ERROR a relation must involve two applications");
        var (a, aep) = ParseEnd(_pos[0]);
        var (b, bep) = ParseEnd(_pos[1]);
        var rel = m.Relations.FirstOrDefault(r =>
            (r.A == a && r.B == b && (aep == null || r.AEndpoint == aep) && (bep == null || r.BEndpoint == bep)) ||
            (r.B == a && r.A == b && (aep == null || r.BEndpoint == aep) && (bep == null || r.AEndpoint == bep)));
        if (rel == null)
        {
            if (!m.Applications.ContainsKey(a)) throw new JujuExit(1, $"ERROR application \"{a}\" not found (not found)");
            if (!m.Applications.ContainsKey(b)) throw new JujuExit(1, $"ERROR application \"{b}\" not found (not found)");
            throw new JujuExit(1, $"ERROR relation matching \"{_pos[0]} {_pos[1]}\" not found (not found)");
        }
        m.Relations.Remove(rel);
        foreach (var n in new[] { a, b })
            if (m.Applications.TryGetValue(n, out var app) && app.Charm == Charms.Integrator && RelatedKratos(m, n) == null)
                app.Registration = "none";
        return 0;
    }

    private int RemoveApplication(Model m)
    {
        if (_pos.Count == 0) throw new JujuExit(2, "ERROR no application specified");
        foreach (var name in _pos) RequireApp(m, name);
        if (!_is2 && !_opts.ContainsKey("--no-prompt"))
        {
            Console.Error.WriteLine("WARNING This command will perform the following actions:");
            foreach (var name in _pos)
            {
                Console.Error.WriteLine($"will remove application {name}");
                Console.Error.WriteLine($"- will remove unit {name}/{m.Applications[name].LeaderUnit}");
            }
            Console.Error.WriteLine();
            Console.Error.Write("Continue [y/N]? ");
            Console.Error.Flush();
            var answer = Console.In.ReadLine();
            if (answer == null || !(answer.Trim().Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase)))
                throw new JujuExit(1, "\nERROR aborted");
        }
        foreach (var name in _pos)
        {
            m.Relations.RemoveAll(r => r.A == name || r.B == name);
            m.Applications.Remove(name);
            foreach (var (n, app) in m.Applications)
                if (app.Charm == Charms.Integrator && RelatedKratos(m, n) == null) app.Registration = "none";
            if (_is2) Console.Error.WriteLine($"removing application {name}");
            else { Console.Error.WriteLine($"will remove application {name}"); }
        }
        return 0;
    }

    // ---------------------------------------------------------------- actions

    private int RunExec29() => throw new JujuExit(2, "ERROR You must specify a target, either through --all, --machine, --application or --unit");

    private int RunAction(Model m)
    {
        if (_pos.Count < 2) throw new JujuExit(2, "ERROR no unit specified");
        if (!_is2 && _opts.TryGetValue("--wait", out var w) && w != null && !Duration.IsMatch(w))
            throw new JujuExit(2, $"ERROR invalid value \"{w}\" for option --wait: time: invalid duration \"{w}\"");
        var unitArg = _pos[0];
        var action = _pos[1];
        var opId = _state.NextOperation++;
        var taskId = _state.NextOperation++;
        var appName = unitArg.Contains('/') ? unitArg[..unitArg.IndexOf('/')] : unitArg;
        var unitPart = unitArg.Contains('/') ? unitArg[(unitArg.IndexOf('/') + 1)..] : "";
        if (!m.Applications.TryGetValue(appName, out var app) || !(unitPart == "leader" || unitPart == app.LeaderUnit.ToString()))
        {
            if (_is2) throw new JujuExit(1, $"ERROR unit \"{unitArg}\" not found");
            Console.Error.WriteLine($"Operation {opId} failed to schedule any tasks:");
            Console.Error.WriteLine($"unit \"{unitArg}\" not found");
            return 0;
        }
        var unit = $"{appName}/{app.LeaderUnit}";
        bool known = (app.Charm == Charms.Integrator && action == "get-redirect-uri") || (app.Charm == "traefik-k8s" && action == "show-proxied-endpoints");
        if (!known)
        {
            if (_is2) throw new JujuExit(1, $"ERROR action \"{action}\" not defined on unit \"{unit}\"");
            Console.Error.WriteLine($"Operation {opId} failed to schedule any tasks:");
            Console.Error.WriteLine($"action \"{action}\" not defined on unit \"{unit}\"");
            return 0;
        }
        if (_is2 && !_opts.ContainsKey("--wait"))
        {
            Console.WriteLine($"Action queued with id: \"{taskId}\"");
            return 0;
        }
        string status = "completed";
        string? message = null;
        var results = new JsonObject();
        if (action == "get-redirect-uri")
        {
            var kratos = RelatedKratos(m, appName);
            var baseUrl = kratos == null ? null : KratosBase(m, kratos);
            if (kratos == null || app.Registration != "registered" || !Charms.Enabled(app) || Charms.ConfigProblem(app) != null || baseUrl == null)
            {
                status = "failed";
                message = "No redirect uri is found";
            }
            else results["redirect-uri"] = $"{baseUrl}/self-service/methods/oidc/callback/{Charms.ProviderId(app)}";
        }
        else
        {
            // A traefik named *admin* stands for the internal one (admin APIs).
            var host = appName.Contains("admin") ? "admin.iam.internal" : m.PublicHost;
            var eps = new JsonObject { [appName] = new JsonObject { ["url"] = $"{m.PublicScheme}://{host}" } };
            foreach (var r in m.RelationsOf(appName).Where(r => r.Involves(appName, "ingress")))
            {
                var (other, _) = r.Other(appName);
                eps[other] = new JsonObject { ["url"] = $"https://{host}/{m.Name}-{other}" };
            }
            results["proxied-endpoints"] = eps.ToJsonString(Relaxed);
        }
        results["return-code"] = 0;
        var entry = new JsonObject
        {
            ["id"] = taskId.ToString(),
            ["message"] = message,
            ["results"] = results,
            ["status"] = status,
            ["timing"] = new JsonObject { ["completed"] = "2026-11-29 12:00:02 +0000 UTC", ["enqueued"] = "2026-11-29 12:00:00 +0000 UTC", ["started"] = "2026-11-29 12:00:01 +0000 UTC" },
        };
        RemoveNulls(entry);
        JsonObject root;
        if (_is2)
        {
            entry["UnitId"] = unit;
            root = new JsonObject { [$"unit-{appName}-{app.LeaderUnit}"] = entry };
        }
        else
        {
            entry["unit"] = unit;
            root = new JsonObject { [unit] = entry };
        }
        if (Format("yaml") == "json") Console.WriteLine(root.ToJsonString(Relaxed));
        else Console.Write(new SerializerBuilder().Build().Serialize(JsonSerializer.Deserialize<object>(root.ToJsonString())!.ToPlain()));
        return 0;
    }

    // ---------------------------------------------------------------- show-unit, export-bundle

    private int ShowUnit(Model m)
    {
        if (_pos.Count == 0) throw new JujuExit(2, "ERROR an unit name must be supplied");
        var unitArg = _pos[0];
        var appName = unitArg.Contains('/') ? unitArg[..unitArg.IndexOf('/')] : unitArg;
        var n = unitArg.Contains('/') ? unitArg[(unitArg.IndexOf('/') + 1)..] : "";
        if (!m.Applications.TryGetValue(appName, out var app) || n != app.LeaderUnit.ToString())
            throw new JujuExit(1, $"ERROR unit \"{unitArg}\" not found (not found)");
        _opts.TryGetValue("--endpoint", out var endpoint);
        var infos = new JsonArray();
        foreach (var r in m.RelationsOf(appName))
        {
            var (_, ep) = r.Side(appName);
            if (endpoint != null && ep != endpoint) continue;
            var (other, otherEp) = r.Other(appName);
            var data = new JsonObject();
            if (otherEp == "traefik-route") { data["external_host"] = m.PublicHost; data["scheme"] = m.PublicScheme; }
            if (otherEp == "ingress") data["ingress"] = JsonSerializer.Serialize(new { url = $"https://{m.PublicHost}/{m.Name}-{appName}" });
            var otherApp = m.Applications[other];
            infos.Add(new JsonObject
            {
                ["relation-id"] = r.Id, ["endpoint"] = ep, ["related-endpoint"] = otherEp,
                ["application-data"] = data,
                ["related-units"] = new JsonObject { [$"{other}/{otherApp.LeaderUnit}"] = new JsonObject { ["in-scope"] = true, ["data"] = new JsonObject { ["egress-subnets"] = "10.152.183.7/32" } } },
            });
        }
        var root = new JsonObject
        {
            [$"{appName}/{app.LeaderUnit}"] = new JsonObject
            {
                ["opened-ports"] = new JsonArray(), ["charm"] = $"ch:amd64/{app.Charm}-{app.Rev}", ["leader"] = true, ["life"] = "alive",
                ["relation-info"] = infos, ["provider-id"] = $"{appName}-{app.LeaderUnit}", ["address"] = "10.1.2.3",
            },
        };
        if (Format("yaml") == "json") Console.WriteLine(root.ToJsonString(Relaxed));
        else Console.Write(new SerializerBuilder().Build().Serialize(JsonSerializer.Deserialize<object>(root.ToJsonString())!.ToPlain()));
        return 0;
    }

    private int ExportBundle(Model m)
    {
        var apps = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, app) in m.Applications)
        {
            var a = new Dictionary<string, object> { ["charm"] = app.Charm, ["channel"] = app.Channel, ["revision"] = app.Rev, ["resources"] = new Dictionary<string, object>(), ["scale"] = 1 };
            if (app.Config.Count > 0)
            {
                var o = new SortedDictionary<string, object>(StringComparer.Ordinal);
                var opts = Charms.OptionsOf(app.Charm);
                foreach (var (k, v) in app.Config) o[k] = opts.TryGetValue(k, out var opt) && opt.Type == "boolean" ? bool.Parse(v) : v;
                a["options"] = o;
            }
            if (app.Trust) a["trust"] = true;
            if (_is2) a["series"] = "jammy";
            else a["base"] = "ubuntu@22.04/stable";
            if (((Dictionary<string, object>)a["resources"]).Count == 0) a.Remove("resources");
            apps[name] = a;
        }
        var bundle = new Dictionary<string, object> { ["bundle"] = "kubernetes", ["applications"] = apps };
        if (m.Relations.Count > 0)
            bundle["relations"] = m.Relations.Select(r => new[] { $"{r.A}:{r.AEndpoint}", $"{r.B}:{r.BEndpoint}" }).ToList();
        Console.Write(new SerializerBuilder().Build().Serialize(bundle));
        return 0;
    }
}

internal static class JsonPlain
{
    /// <summary>A JsonElement as plain dictionaries/lists/scalars (for YAML output).</summary>
    public static object? ToPlain(this object o)
    {
        if (o is not JsonElement e) return o;
        return e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ((object)p.Value).ToPlain()),
            JsonValueKind.Array => e.EnumerateArray().Select(x => ((object)x).ToPlain()).ToList(),
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
    }
}
