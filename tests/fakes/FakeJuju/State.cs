using System.Text.Json;
using System.Text.Json.Serialization;

namespace FakeJuju;

/// <summary>Everything the fake remembers between invocations (the FAKE_JUJU_STATE file).</summary>
public sealed class State
{
    /// <summary>controller:owner/model of the current model (what `juju switch` prints).</summary>
    public string Current { get; set; } = "";
    public Dictionary<string, Model> Models { get; set; } = new();
    /// <summary>How many times each command was called (for FAKE_JUJU_FAIL=cmd:n).</summary>
    public Dictionary<string, int> Calls { get; set; } = new();
    public int NextOperation { get; set; } = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static State Load(string path) => JsonSerializer.Deserialize<State>(File.ReadAllText(path), Json)!;
    public void Save(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json));
        File.Move(tmp, path, true);
    }

    /// <summary>
    /// A fresh state. variant: kratos2 (kratos 2.x behind traefik over public-route, the default),
    /// kratos1 (kratos 1.x, tracks up to 0.4, behind traefik ingress), nokratos (traefik only).
    /// idps: that many integrators already deployed, related and registered (github, google, ...).
    /// </summary>
    public static State Seed(string variant, int idps, string modelName = "iam", string? kratosVersion = null)
    {
        var m = new Model { Controller = "microk8s", Owner = "admin", Name = modelName };
        m.Applications["traefik-public"] = new App { Charm = "traefik-k8s", Channel = "latest/stable", Rev = 203, Trust = true };
        switch ((variant ?? "kratos2").ToLowerInvariant())
        {
            case "kratos2":
            case "":
                m.Applications["kratos"] = new App { Charm = "kratos", Channel = "latest/stable", Rev = 527, Trust = true, Version = "26.2.0" };
                m.Relations.Add(new Rel("kratos", "public-route", "traefik-public", "traefik-route", "traefik_route"));
                break;
            case "kratos1":
                m.Applications["kratos"] = new App { Charm = "kratos", Channel = "0.4/stable", Rev = 405, Trust = true, Version = "1.1.0" };
                m.Relations.Add(new Rel("kratos", "public-ingress", "traefik-public", "ingress", "ingress"));
                // Kratos 1.x also has its admin API behind a second, internal traefik.
                m.Applications["traefik-admin"] = new App { Charm = "traefik-k8s", Channel = "latest/stable", Rev = 203, Trust = true };
                m.Relations.Add(new Rel("kratos", "admin-ingress", "traefik-admin", "ingress", "ingress"));
                break;
            case "nokratos":
                break;
            default:
                throw new ArgumentException($"unknown seed '{variant}' (use kratos2, kratos1 or nokratos)");
        }
        // The workload version juju status shows for kratos: null or "" keeps the seed's, "none" for none.
        if (!string.IsNullOrEmpty(kratosVersion) && m.Applications.TryGetValue("kratos", out var k)) k.Version = kratosVersion == "none" ? null : kratosVersion;
        string[] kinds = { "github", "google", "gitlab", "discord", "slack", "facebook", "spotify", "netid", "vk", "dingtalk" };
        for (int i = 1; i <= idps; i++)
        {
            var kind = kinds[(i - 1) % kinds.Length];
            var name = i <= kinds.Length ? $"{kind}-idp" : $"{kind}-idp{i}";
            var app = new App { Charm = Charms.Integrator, Channel = "latest/stable", Rev = 250, LeaderUnit = i % 2 == 0 ? 1 : 0, Registration = "registered" };
            app.Config["provider"] = kind;
            app.Config["client_id"] = $"seed-client-{i}";
            app.Config["client_secret"] = $"seed-secret-{i}";
            m.Applications[name] = app;
            if (m.Applications.ContainsKey("kratos"))
                m.Relations.Add(new Rel(name, "kratos-external-idp", "kratos", "kratos-external-idp", "external_provider"));
            else app.Registration = "none";
        }
        var s = new State { Current = m.Key };
        s.Models[m.Key] = m;
        return s;
    }
}

public sealed class Model
{
    public string Controller { get; set; } = "microk8s";
    public string Owner { get; set; } = "admin";
    public string Name { get; set; } = "iam";
    public string PublicHost { get; set; } = "iam.example.com";
    public string PublicScheme { get; set; } = "https";
    public Dictionary<string, App> Applications { get; set; } = new();
    public List<Rel> Relations { get; set; } = new();
    [JsonIgnore] public string Key => $"{Controller}:{Owner}/{Name}";

    public IEnumerable<Rel> RelationsOf(string app) => Relations.Where(r => r.A == app || r.B == app);
}

public sealed class App
{
    public string Charm { get; set; } = "";
    public string Channel { get; set; } = "latest/stable";
    public int Rev { get; set; }
    public bool Trust { get; set; }
    public int LeaderUnit { get; set; }
    /// <summary>Options set by the user (values as strings; booleans as true/false).</summary>
    public Dictionary<string, string> Config { get; set; } = new();
    /// <summary>The workload version the charm sets (kratos: the Kratos release, e.g. 26.2.0), shown as the application's version in juju status; null: none.</summary>
    public string? Version { get; set; }
    /// <summary>Integrator: none, pending (kratos has yet to register it) or registered.</summary>
    public string Registration { get; set; } = "none";
}

public sealed class Rel
{
    public Rel() { }
    public Rel(string a, string aEp, string b, string bEp, string iface) { A = a; AEndpoint = aEp; B = b; BEndpoint = bEp; Interface = iface; }
    public string A { get; set; } = "";
    public string AEndpoint { get; set; } = "";
    public string B { get; set; } = "";
    public string BEndpoint { get; set; } = "";
    public string Interface { get; set; } = "";
    public int Id { get; set; }

    public bool Involves(string app, string endpoint) => (A == app && AEndpoint == endpoint) || (B == app && BEndpoint == endpoint);
    public (string app, string ep) Other(string app) => A == app ? (B, BEndpoint) : (A, AEndpoint);
    public (string app, string ep) Side(string app) => A == app ? (A, AEndpoint) : (B, BEndpoint);
}
