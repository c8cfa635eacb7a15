using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FakeJuju;

public sealed record Option(string Type, string? Default, string Description);
public sealed record Endpoint(string Name, string Interface, string Role, int Limit = 0);

/// <summary>What the fake knows of the charms it can deploy, and the integrator charm's own logic.</summary>
public static class Charms
{
    public const string Integrator = "kratos-external-idp-integrator";

    public static readonly Dictionary<string, Option> IntegratorOptions = new()
    {
        ["provider"] = new("string", "generic", "The type of the external identity provider."),
        ["client_id"] = new("string", null, "The client id of the OAuth2 application."),
        ["client_secret"] = new("string", null, "The client secret of the OAuth2 application."),
        ["issuer_url"] = new("string", null, "The issuer URL (generic and auth0 only)."),
        ["microsoft_tenant_id"] = new("string", null, "The Azure AD tenant (microsoft only)."),
        ["apple_team_id"] = new("string", null, "Apple Developer Team ID (apple only)."),
        ["apple_private_key_id"] = new("string", null, "Apple private key id (apple only)."),
        ["apple_private_key"] = new("string", null, "Apple private key (apple only)."),
        ["provider_id"] = new("string", null, "The id of the provider in Kratos; generated when unset."),
        ["label"] = new("string", null, "The text of the login button."),
        ["scope"] = new("string", null, "Space separated scopes."),
        ["jsonnet_mapper"] = new("string", null, "Jsonnet mapper source."),
        ["secret_backend"] = new("string", "relation", "Ignored."),
        ["enabled"] = new("boolean", "true", "Whether the provider is enabled."),
    };

    public static readonly Dictionary<string, Option> KratosOptions = new()
    {
        ["log_level"] = new("string", "info", "Log level."),
        ["enable_local_idp"] = new("boolean", "true", "Password login."),
    };

    public static readonly Dictionary<string, Option> TraefikOptions = new()
    {
        ["external_hostname"] = new("string", null, "Hostname."),
    };

    public static Dictionary<string, Option> OptionsOf(string charm) => charm switch
    {
        Integrator => IntegratorOptions,
        "kratos" => KratosOptions,
        "traefik-k8s" => TraefikOptions,
        _ => new(),
    };

    public static readonly Dictionary<string, Endpoint[]> Endpoints = new()
    {
        [Integrator] = new[] { new Endpoint("kratos-external-idp", "external_provider", "provider", 1) },
        ["kratos"] = new[]
        {
            new Endpoint("kratos-external-idp", "external_provider", "requirer"),
            new Endpoint("public-route", "traefik_route", "requirer", 1),
            new Endpoint("public-ingress", "ingress", "requirer", 1),
            new Endpoint("admin-ingress", "ingress", "requirer", 1),
            new Endpoint("pg-database", "postgresql_client", "requirer", 1),
        },
        ["traefik-k8s"] = new[]
        {
            new Endpoint("traefik-route", "traefik_route", "provider"),
            new Endpoint("ingress", "ingress", "provider"),
        },
    };

    public static readonly Dictionary<string, int> Revisions = new() { [Integrator] = 250, ["kratos"] = 527, ["traefik-k8s"] = 203 };

    /// <summary>The providers the charm's validator accepts (with its yander/twitch quirks).</summary>
    public static readonly string[] AcceptedProviders =
        { "generic", "google", "facebook", "microsoft", "github", "apple", "gitlab", "auth0", "slack", "spotify", "discord", "twitch", "netid", "yander", "vk", "dingtalk" };

    /// <summary>What Kratos itself accepts of those (twitch and yander are not Kratos providers).</summary>
    public static bool KratosAccepts(string provider) => provider != "twitch" && provider != "yander";

    public static string? Get(App app, string key)
        => app.Config.TryGetValue(key, out var v) ? v : IntegratorOptions.TryGetValue(key, out var o) ? o.Default : null;

    /// <summary>Null when the integrator's config is valid, else the reason (as the charm would log it).</summary>
    public static string? ConfigProblem(App app)
    {
        var provider = Get(app, "provider") ?? "generic";
        if (!AcceptedProviders.Contains(provider)) return $"Invalid provider '{provider}'";
        var required = new List<string> { "client_id" };
        switch (provider)
        {
            case "generic":
            case "auth0": required.AddRange(new[] { "issuer_url", "client_secret" }); break;
            case "microsoft": required.AddRange(new[] { "microsoft_tenant_id", "client_secret" }); break;
            case "apple": required.AddRange(new[] { "apple_team_id", "apple_private_key_id", "apple_private_key" }); break;
            default: required.Add("client_secret"); break;
        }
        foreach (var r in required)
            if (string.IsNullOrEmpty(Get(app, r))) return $"Missing required configuration '{r}' for provider '{provider}'";
        return null;
    }

    public static bool Enabled(App app) => !string.Equals(Get(app, "enabled"), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>provider_id, or the charm's auto id: provider_sha1(seed).</summary>
    public static string ProviderId(App app)
    {
        var explicitId = Get(app, "provider_id");
        if (!string.IsNullOrEmpty(explicitId)) return explicitId;
        var provider = Get(app, "provider") ?? "generic";
        var clientId = Get(app, "client_id") ?? "";
        string seed = provider switch
        {
            "generic" or "auth0" => clientId + "_" + Get(app, "issuer_url"),
            "microsoft" => clientId + "_" + Get(app, "microsoft_tenant_id"),
            _ => clientId,
        };
        return provider + "_" + Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(seed))).ToLowerInvariant();
    }

    /// <summary>The integrators kratos has registered and offers (related to it, registered, enabled), by name.</summary>
    public static List<(string name, App app)> RegisteredIdps(Model m, string kratos)
    {
        var list = new List<(string, App)>();
        foreach (var r in m.RelationsOf(kratos).Where(r => r.Involves(kratos, "kratos-external-idp")))
        {
            var (other, _) = r.Other(kratos);
            if (m.Applications.TryGetValue(other, out var idp) && idp.Charm == Integrator && idp.Registration == "registered" && Enabled(idp))
                list.Add((other, idp));
        }
        return list;
    }

    /// <summary>Integrator option → the key the kratos charm writes for it into Kratos's config.</summary>
    private static readonly (string option, string key)[] Rendered =
    {
        ("provider_id", "id"), ("provider", "provider"), ("client_id", "client_id"), ("client_secret", "client_secret"),
        ("issuer_url", "issuer_url"), ("microsoft_tenant_id", "microsoft_tenant"), ("apple_team_id", "apple_team_id"),
        ("apple_private_key_id", "apple_private_key_id"), ("apple_private_key", "apple_private_key"), ("label", "label"),
    };

    /// <summary>
    /// The providers list as the kratos charm renders it into Kratos's YAML config: its template writes
    /// <c>{{ key }}: {{ value }}</c>, unquoted (templates/kratos.yaml.j2), for every option that is set (an
    /// option set to "" too), and the scope as a quoted list. The id is provider_id or the charm's auto id.
    /// </summary>
    public static string RenderProviders(IEnumerable<(string name, App app)> idps)
    {
        var sb = new StringBuilder("selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers:\n");
        foreach (var (_, app) in idps)
        {
            var lead = "          - ";
            foreach (var (option, key) in Rendered)
            {
                var v = option == "provider_id" ? ProviderId(app) : option == "provider" ? Get(app, option) : app.Config.GetValueOrDefault(option);
                if (v == null) continue;
                sb.Append(lead).Append(key).Append(": ").Append(v).Append('\n');
                lead = "            ";
            }
            var scope = app.Config.GetValueOrDefault("scope");
            if (!string.IsNullOrEmpty(scope))
                sb.Append(lead).Append("scope: ").Append(System.Text.Json.JsonSerializer.Serialize(scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A value as Kratos reads it: Type is string, int, float, bool, null, map, seq or tag:&lt;tag&gt;.</summary>
    public sealed record KratosValue(string Type, string? Text);

    /// <summary>What Kratos read from its config: the providers, or the error that makes it refuse the whole config.</summary>
    public sealed record KratosReading(string? Error, List<Dictionary<string, KratosValue>> Providers);

    /// <summary>Keys of a provider that Kratos's schema wants as strings.</summary>
    private static readonly HashSet<string> StringKeys = new(Rendered.Select(r => r.key));

    /// <summary>
    /// Reads the rendered config the way Kratos does: a YAML 1.2 reader (gopkg.in/yaml.v3 through koanf) into
    /// untyped values, then a check against its schema, where every provider key above is a string and the scope
    /// a list of strings. Strict: a parse error, or anything but a string (an integer, a float, a boolean, null,
    /// a mapping, a list, an explicitly tagged value) where a string is wanted, is an error.
    /// </summary>
    public static KratosReading ReadAsKratos(string rendered)
    {
        var providers = new List<Dictionary<string, KratosValue>>();
        YamlNode? list;
        try
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(rendered));
            list = yaml.Documents.Count == 0 ? null : Child(Child(Child(Child(Child(yaml.Documents[0].RootNode, "selfservice"), "methods"), "oidc"), "config"), "providers");
        }
        catch (Exception e) when (e is YamlException or ArgumentException or InvalidOperationException)
        {
            return new KratosReading($"yaml: {e.Message}", providers);
        }
        if (list is not YamlSequenceNode seq)
            return new KratosReading(list is null or YamlScalarNode { Value: "" or null } ? null : "providers: expected array", providers);
        string? error = null;
        for (int i = 0; i < seq.Children.Count; i++)
        {
            if (seq.Children[i] is not YamlMappingNode item)
            {
                error ??= $"#/selfservice/methods/oidc/config/providers/{i}: expected object, but got {Read(seq.Children[i]).Type}";
                continue;
            }
            var p = new Dictionary<string, KratosValue>();
            foreach (var kv in item.Children)
            {
                var key = (kv.Key as YamlScalarNode)?.Value ?? "";
                var v = Read(kv.Value);
                p[key] = v;
                if (StringKeys.Contains(key) && v.Type != "string")
                    error ??= $"#/selfservice/methods/oidc/config/providers/{i}/{key}: expected string, but got {v.Type}";
                if (key == "scope" && (kv.Value is not YamlSequenceNode s || s.Children.Any(c => Read(c).Type != "string")))
                    error ??= $"#/selfservice/methods/oidc/config/providers/{i}/scope: expected array of strings";
            }
            providers.Add(p);
        }
        return new KratosReading(error, providers);
    }

    private static YamlNode? Child(YamlNode? node, string key)
        => node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static KratosValue Read(YamlNode node) => node switch
    {
        YamlMappingNode => new("map", null),
        YamlSequenceNode => new("seq", null),
        YamlScalarNode s => Resolve(s),
        _ => new("unknown", null),
    };

    private static readonly Regex YamlStyleFloat = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$");

    /// <summary>A scalar as yaml.v3 resolves it when decoding into an untyped value (resolve.go, decode.go).</summary>
    private static KratosValue Resolve(YamlScalarNode n)
    {
        var tag = n.Tag.IsEmpty ? "" : n.Tag.Value;
        var v = n.Value ?? "";
        if (tag is "!" or "tag:yaml.org,2002:str") return new("string", v);
        if (tag.Length > 0) return new("tag:" + tag, v);
        if (n.Style != YamlDotNet.Core.ScalarStyle.Plain) return new("string", v);
        switch (v)
        {
            case "true" or "True" or "TRUE" or "false" or "False" or "FALSE": return new("bool", v);
            case "" or "~" or "null" or "Null" or "NULL": return new("null", v);
            case ".nan" or ".NaN" or ".NAN" or ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF": return new("float", v);
        }
        var hint = v[0];
        if (hint == '.')
            return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? new("float", v) : new("string", v);
        if (char.IsAsciiDigit(hint) || hint == '+' || hint == '-')
        {
            // A timestamp (2001-12-14) is resolved, but yaml.v3 keeps it a string in untyped values "for backward
            // compatibility"; it never parses as a number either, so it falls through to a string below.
            var plain = v.Replace("_", "");
            if (GoParseInt(plain)) return new("int", v);
            if (YamlStyleFloat.IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return new("float", v);
        }
        return new("string", v);
    }

    /// <summary>Go's strconv.ParseInt/ParseUint(s, 0, 64): sign, 0x/0o/0b prefixes, a leading 0 for octal, within 64 bits.</summary>
    private static bool GoParseInt(string s)
    {
        var body = s.Length > 0 && (s[0] == '+' || s[0] == '-') ? s[1..] : s;
        int radix = 10;
        if (body.Length > 2 && body[0] == '0' && (body[1] is 'x' or 'X')) { radix = 16; body = body[2..]; }
        else if (body.Length > 2 && body[0] == '0' && (body[1] is 'o' or 'O')) { radix = 8; body = body[2..]; }
        else if (body.Length > 2 && body[0] == '0' && (body[1] is 'b' or 'B')) { radix = 2; body = body[2..]; }
        else if (body.Length > 1 && body[0] == '0') { radix = 8; body = body[1..]; }
        if (body.Length == 0) return false;
        System.Numerics.BigInteger value = 0;
        foreach (var c in body)
        {
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
            if (d >= radix) return false;
            value = value * radix + d;
        }
        if (s[0] == '-') value = -value;
        return value >= long.MinValue && value <= ulong.MaxValue;
    }
}
