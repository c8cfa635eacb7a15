using System.Collections.Generic;

namespace ExternalIdp.Core
{
    /// <summary>The texts of the rules' problems: each names the setting and says how to fix it.</summary>
    internal static class RuleMessages
    {
        public const string IssuerUrlGive =
            "the issuer's full URL, e.g. https://login.example.com/realms/main (its /.well-known/openid-configuration must be reachable by Kratos)";

        public static string BadProviderId(string subject)
            => $"{subject} is not a valid provider id: it becomes a URL path segment, so use 1-128 letters, digits, '.', '_', '~' or '-', starting with a letter or digit.";

        public static string Padded(Field f)
            => $"{f.Flag} has leading or trailing white space: remove it (a pasted value often carries it).";

        public static string BadTenant(Field f, string v)
            => $"{f.Flag} '{v}' is not an Azure AD / Entra tenant: give the tenant's GUID (Directory (tenant) ID), a verified domain such as contoso.onmicrosoft.com, or one of common, organizations, consumers.";

        public static string NotPem(Field f)
            => $"{f.Flag} is not a PEM private key: give the whole content of the .p8 file Apple issued, from '-----BEGIN PRIVATE KEY-----' to '-----END PRIVATE KEY-----'.";

        public static string MapperNotBase64(Field f)
            => $"{f.Flag} starts with base64:// but what follows is not base64: encode the jsonnet source, or pass it with -{f.AltParameter}.";

        public static string MapperNotReadable(Field f, string v)
            => $"{f.Flag} '{IdpRules.Printable(v)}' is not a mapper URL Kratos can read: use file:///path/to/mapper.jsonnet, https://..., or base64://<jsonnet in base64> (or pass the source with -{f.AltParameter}).";

        public static string MapperTwice(Field f) => $"{f.Flag} and -{f.AltParameter} both give the mapper: use one of them.";

        public static string JsonnetEmpty(Field f) => $"-{f.AltParameter} is empty: give jsonnet source or the path of a .jsonnet file.";

        public static string KindRequires(ProviderKind kind, Field f)
            => $"Provider '{kind.Name}' requires {f.Flag}{(f.Hint == null ? "" : $" ({f.Hint})")}.";

        public static string KindRefuses(ProviderKind kind, Field f, IReadOnlyList<string> takers)
        {
            var only = takers.Count == 0 ? "" : $" (only {string.Join(", ", takers)} {(takers.Count == 1 ? "takes" : "take")} it)";
            return $"Provider '{kind.Name}' does not take {f.Flag}{only}. Remove {f.Flag}.";
        }

        public static readonly string AppleTakesNoSecret =
            $"Provider 'apple' takes no {FieldTable.ClientSecret.Flag}: Kratos makes the client secret from {FieldTable.AppleTeamId.Flag}, {FieldTable.ApplePrivateKeyId.Flag} and {FieldTable.ApplePrivateKey.Flag}. Remove {FieldTable.ClientSecret.Flag}.";

        public static string UnknownKind(string name, string alias, IEnumerable<string> kinds)
        {
            var hint = alias == null ? ""
                : alias == "generic" ? $" For '{name}' use -Provider generic with {FieldTable.IssuerUrl.Flag} set to its OpenID Connect issuer."
                : $" Did you mean '{alias}'?";
            return $"Unknown provider kind '{name}'.{hint} Valid kinds: {string.Join(", ", kinds)}.";
        }

        public static string NotInCharm(ProviderKind kind, string charmKinds)
            => $"the kratos-external-idp-integrator charm does not accept provider '{kind.Name}' (it accepts: {charmKinds}); use a Kratos config file (-ConfigPath) for this provider";

        public const string YandexNotInCharm =
            "the kratos-external-idp-integrator charm rejects 'yandex' (its validator accepts only the misspelling 'yander', which Kratos in turn rejects), so no yandex provider can be configured through the charm; use a Kratos config file (-ConfigPath)";

        public static string KratosRequires(Field f)
            => $"Kratos requires '{f.Key}' in every provider entry: don't set {f.Flag} to an empty value.";
    }
}
