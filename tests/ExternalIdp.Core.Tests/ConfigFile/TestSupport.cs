using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Newtonsoft.Json.Linq;
using YamlDotNet.RepresentationModel;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>A host that records what the core says and answers ShouldProcess as told.</summary>
    internal sealed class RecordingHost : ICoreHost
    {
        public bool Answer = true;
        public readonly List<string> Verbose = new List<string>();
        public readonly List<string> Warnings = new List<string>();
        public readonly List<string> Debug = new List<string>();
        public readonly List<(string Target, string Action)> Asked = new List<(string, string)>();
        public void WriteVerbose(string message) => Verbose.Add(message);
        public void WriteDebug(string message) => Debug.Add(message);
        public void WriteWarning(string message) => Warnings.Add(message);
        public void WriteProgress(string activity, string status, int percent, bool completed) { }
        public bool ShouldProcess(string target, string action) { Asked.Add((target, action)); return Answer; }
        public CancellationToken Cancellation => CancellationToken.None;
        public IEnumerable<string> AllText => Verbose.Concat(Warnings).Concat(Debug).Concat(Asked.Select(a => a.Target + " " + a.Action));
    }

    internal static class TestSupport
    {
        public static readonly string RepoRoot = FindRepoRoot();
        public static readonly string Reference = Path.Combine(RepoRoot, "tests", "fixtures");
        public static readonly string Corpus = Path.Combine(Reference, "kratos-configs");

        private static string FindRepoRoot()
        {
            var d = new DirectoryInfo(AppContext.BaseDirectory);
            while (d != null && !File.Exists(Path.Combine(d.FullName, "ExternalIdp.sln"))) d = d.Parent;
            if (d == null) throw new InvalidOperationException("ExternalIdp.sln not found above " + AppContext.BaseDirectory);
            return d.FullName;
        }

        /// <summary>Schema errors of one provider entry against Kratos's selfServiceOIDCProvider definition.</summary>
        public static List<string> SchemaErrors(JObject entry) => KratosSchema.Errors(entry).ToList();

        /// <summary>A fresh temp folder holding a copy of the corpus file (or of the given text).</summary>
        public static string TempCopy(string corpusFile)
        {
            var dir = Path.Combine(Path.GetTempPath(), "eidp-cfg-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(dir);
            var dest = Path.Combine(dir, Path.GetFileName(corpusFile));
            File.Copy(corpusFile, dest);
            return dest;
        }

        public static string TempFile(string name, string text, bool bom = false)
        {
            var dir = Path.Combine(Path.GetTempPath(), "eidp-cfg-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(dir);
            var dest = Path.Combine(dir, name);
            File.WriteAllBytes(dest, (bom ? new byte[] { 0xEF, 0xBB, 0xBF } : new byte[0]).Concat(new System.Text.UTF8Encoding(false).GetBytes(text)).ToArray());
            return dest;
        }

        public static string RootFor(string file) => Path.GetFileName(file).Contains("values") || Path.GetFileName(file).Contains("default.yaml") ? "kratos.config" : null;

        // ---------------------------------------------------------------- settings

        public const string GoogleSecret = "GOCSPX-very-secret-google-value";
        public const string EntraSecret = "entra~SECRET~value~1234";
        public const string OidcSecret = "oidc-secret-#: 'quoted' value";
        public const string ApplePem = "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQgSECRETKEYMATERIAL\nAAAAsecondLINEofKEYmaterial==\n-----END PRIVATE KEY-----";

        public static IdpSettings Google() => new IdpSettings
        {
            Provider = "google", ProviderId = "test-google", ClientId = "123-abc.apps.googleusercontent.com",
            ClientSecret = TestSecrets.Plain(GoogleSecret),
        };

        public static IdpSettings Entra() => new IdpSettings
        {
            Provider = "microsoft", ProviderId = "test-entra", ClientId = "0b7c5a8e-1111-4222-8333-944455556666",
            ClientSecret = TestSecrets.Plain(EntraSecret), TenantId = "contoso.onmicrosoft.com", SubjectSource = "me",
        };

        public static IdpSettings Apple() => new IdpSettings
        {
            Provider = "apple", ProviderId = "test-apple", ClientId = "com.example.web",
            AppleTeamId = "ABCDE12345", ApplePrivateKeyId = "KEY1234567", ApplePrivateKey = TestSecrets.Plain(ApplePem),
        };

        public static IdpSettings Generic() => new IdpSettings
        {
            Provider = "generic", ProviderId = "test-oidc", ClientId = "kratos", Label = "Staff SSO: #1 [internal]",
            ClientSecret = TestSecrets.Plain(OidcSecret), IssuerUrl = "https://login.example.com/realms/main",
            Scope = new[] { "openid", "email", "profile" }, Pkce = "force", MapperUrl = "file:///etc/config/kratos/oidc.jsonnet",
        };

        public static readonly string[] Secrets = { GoogleSecret, EntraSecret, OidcSecret, "SECRETKEYMATERIAL", "secondLINEofKEYmaterial" };

        // ---------------------------------------------------------------- reading files independently

        /// <summary>The providers list of a file read with YamlDotNet's representation model.</summary>
        public static YamlSequenceNode ProvidersOf(string path, string root)
        {
            var ys = new YamlStream();
            using (var r = new StringReader(File.ReadAllText(path))) ys.Load(r);
            YamlNode cur = ys.Documents[0].RootNode;
            var keys = (root == null ? new string[0] : root.Split('.')).Concat(new[] { "selfservice", "methods", "oidc", "config", "providers" });
            foreach (var k in keys)
            {
                if (!(cur is YamlMappingNode m) || !m.Children.TryGetValue(new YamlScalarNode(k), out cur)) return null;
            }
            return cur as YamlSequenceNode;
        }

        public static YamlMappingNode EntryOf(string path, string root, string id)
            => ProvidersOf(path, root)?.Children.OfType<YamlMappingNode>()
                .FirstOrDefault(m => m.Children.TryGetValue(new YamlScalarNode("id"), out var v) && (v as YamlScalarNode)?.Value == id);

        public static JToken ToJson(YamlNode n)
        {
            switch (n)
            {
                case YamlScalarNode s: return new JValue(s.Value);
                case YamlSequenceNode q: return new JArray(q.Children.Select(ToJson));
                case YamlMappingNode m:
                    var o = new JObject();
                    foreach (var kv in m.Children) o[((YamlScalarNode)kv.Key).Value] = ToJson(kv.Value);
                    return o;
                default: return JValue.CreateNull();
            }
        }

        public static string Scalar(YamlMappingNode m, string key)
            => m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;

        public static string[] List(YamlMappingNode m, string key)
            => m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlSequenceNode q
                ? q.Children.Cast<YamlScalarNode>().Select(x => x.Value).ToArray() : null;

        // ---------------------------------------------------------------- line diff

        /// <summary>Lines of a that are not in b and lines of b that are not in a (LCS line diff, 1-based line numbers).</summary>
        public static (List<(int Line, string Text)> Deleted, List<(int Line, string Text)> Inserted) LineDiff(string a, string b)
        {
            var x = SplitLines(a); var y = SplitLines(b);
            int n = x.Length, m = y.Length;
            var dp = new int[n + 1, m + 1];
            for (int i = n - 1; i >= 0; i--)
                for (int j = m - 1; j >= 0; j--)
                    dp[i, j] = x[i] == y[j] ? dp[i + 1, j + 1] + 1 : Math.Max(dp[i + 1, j], dp[i, j + 1]);
            var del = new List<(int, string)>(); var ins = new List<(int, string)>();
            int p = 0, q = 0;
            while (p < n && q < m)
            {
                if (x[p] == y[q]) { p++; q++; }
                else if (dp[p + 1, q] >= dp[p, q + 1]) { del.Add((p + 1, x[p])); p++; }
                else { ins.Add((q + 1, y[q])); q++; }
            }
            while (p < n) { del.Add((p + 1, x[p])); p++; }
            while (q < m) { ins.Add((q + 1, y[q])); q++; }
            return (del, ins);
        }

        /// <summary>Lines including their line break, so a changed line ending shows up as a change.</summary>
        public static string[] SplitLines(string s)
        {
            var list = new List<string>();
            int start = 0;
            for (int i = 0; i < s.Length; i++)
                if (s[i] == '\n') { list.Add(s.Substring(start, i - start + 1)); start = i + 1; }
            if (start < s.Length) list.Add(s.Substring(start));
            return list.ToArray();
        }

        public static void AssertNoTempFiles(string path)
        {
            var dir = Path.GetDirectoryName(path);
            var left = Directory.GetFiles(dir).Select(Path.GetFileName).Where(f => f.EndsWith(".tmp", StringComparison.Ordinal)).ToList();
            Xunit.Assert.Empty(left);
        }
    }
}
