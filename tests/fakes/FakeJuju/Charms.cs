using System.Security.Cryptography;
using System.Text;

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

    /// <summary>Values kratos renders unquoted into its YAML config and that break it.</summary>
    public static bool BreaksKratosYaml(string? v)
    {
        if (string.IsNullOrEmpty(v)) return false;
        if (v.Contains('\n') || v.Contains('\r') || v.Contains(": ") || v.Contains(" #") || v.EndsWith(':')) return true;
        if ("[]{},#&*!|>'\"%@`".Contains(v[0])) return true;
        if ((v[0] == '-' || v[0] == '?' || v[0] == ':') && (v.Length == 1 || v[1] == ' ')) return true;
        return false;
    }
}
