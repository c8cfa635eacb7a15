using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using ExternalIdp.Core.Tests.ConfigFile;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ExternalIdp.Core.Tests.Reliability
{
    /// <summary>
    /// Long random sequences of Add, Set and Remove on corpus files and synthetic ones, checked after
    /// every step against an in-memory model and a fresh parse of the file: the file parses, its providers
    /// equal the model's (read by an independent, type-strict reader), every entry the test wrote passes
    /// Kratos's schema, nothing outside the providers list changed, Get-KratosIdp's reading finds as many
    /// IdPs, and a refused step left the file byte-identical.
    /// Seeded: EXTERNALIDP_RANDOM_SEED=n runs only seed n (printed with any failure);
    /// EXTERNALIDP_RANDOM_STEPS sets the steps per file.
    /// </summary>
    public class RandomModelTests
    {
        private readonly ITestOutputHelper _out;
        public RandomModelTests(ITestOutputHelper output) { _out = output; }

        public const int DefaultFilesPerSeed = 3;
        public static int StepsPerFile => int.TryParse(Environment.GetEnvironmentVariable("EXTERNALIDP_RANDOM_STEPS"), out var n) && n > 0 ? n : 80;

        public static IEnumerable<object[]> Seeds()
        {
            var fixedSeed = Environment.GetEnvironmentVariable("EXTERNALIDP_RANDOM_SEED");
            if (int.TryParse(fixedSeed, out var s)) return new[] { new object[] { s } };
            return Enumerable.Range(1, 10).Select(x => new object[] { x });
        }

        private static readonly OperationOptions Opt = new OperationOptions();

        [Theory]
        [MemberData(nameof(Seeds))]
        public void Random_add_set_remove_match_the_model(int seed)
        {
            var rnd = new Random(seed);
            var corpus = Directory.GetFiles(TestSupport.Corpus).Where(f => !f.EndsWith(".md") && !f.EndsWith(".j2")).OrderBy(f => f, StringComparer.Ordinal).ToList();
            int steps = 0, refused = 0, changed = 0;
            for (int f = 0; f < DefaultFilesPerSeed; f++)
            {
                string path, root, origin;
                if (f == 0)
                {
                    (path, origin) = Synthetic(rnd);
                    root = null;
                }
                else
                {
                    // Seeds 1..10 cover the corpus in turn (two files each), whatever the random sequence.
                    var src = corpus[(2 * (seed - 1) + f - 1) % corpus.Count];
                    path = TestSupport.TempCopy(src);
                    root = TestSupport.RootFor(src);
                    origin = Path.GetFileName(src);
                }
                var run = new Run(rnd, path, root, origin);
                try
                {
                    run.Go(StepsPerFile);
                }
                catch (Exception ex) when (!(ex is OutOfMemoryException))
                {
                    throw new XunitException($"Random test failed: seed {seed} (rerun with EXTERNALIDP_RANDOM_SEED={seed}), file {origin} ({path}), step {run.Step}: {run.LastOp}\n{ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
                }
                steps += run.Step;
                refused += run.Refused;
                changed += run.Changed;
                _out.WriteLine($"seed {seed}: {origin}: {run.Step} steps, {run.Refused} refused as expected, {run.Changed} changes, {run.Model.Count} providers at the end");
            }
            _out.WriteLine($"seed {seed}: {steps} steps in all, {refused} refused, {changed} changes");
        }

        // ---------------------------------------------------------------- synthetic files

        private static (string Path, string Origin) Synthetic(Random r)
        {
            bool json = r.Next(5) == 0;
            bool crlf = r.Next(3) == 0, bom = r.Next(4) == 0;
            int ind = new[] { 2, 2, 3, 4 }[r.Next(4)];
            int providersState = r.Next(5); // 0 missing oidc, 1 oidc without providers, 2 providers: null, 3 [], 4 one entry
            string enabled = new[] { "true", "false", "True", null }[r.Next(4)];
            string text;
            string origin;
            if (json)
            {
                var oidc = new JObject();
                if (enabled != null) oidc["enabled"] = enabled == "false" ? false : true;
                if (providersState >= 2)
                {
                    var cfg = new JObject();
                    cfg["providers"] = providersState == 2 ? JValue.CreateNull() : providersState == 3 ? new JArray() :
                        new JArray(new JObject { ["id"] = "seeded", ["provider"] = "github", ["client_id"] = "c", ["client_secret"] = "s", ["mapper_url"] = "file:///m.jsonnet" });
                    oidc["config"] = cfg;
                }
                var methods = new JObject { ["password"] = new JObject { ["enabled"] = true } };
                if (providersState > 0) methods["oidc"] = oidc;
                var doc = new JObject { ["serve"] = new JObject { ["public"] = new JObject { ["base_url"] = "https://auth.example.com/" } }, ["selfservice"] = new JObject { ["methods"] = methods } };
                text = doc.ToString(r.Next(2) == 0 ? Newtonsoft.Json.Formatting.Indented : Newtonsoft.Json.Formatting.None) + "\n";
                origin = $"synthetic.json(state {providersState})";
            }
            else
            {
                string I(int n) => new string(' ', ind * n);
                var sb = new StringBuilder();
                sb.Append("# synthetic Kratos config\nversion: v1.3.0\n\nserve:\n").Append(I(1)).Append("public:\n").Append(I(2)).Append("base_url: https://auth.example.com/   # public\n");
                sb.Append("selfservice:\n").Append(I(1)).Append("methods:\n").Append(I(2)).Append("password:\n").Append(I(3)).Append("enabled: true\n");
                if (providersState > 0)
                {
                    sb.Append(I(2)).Append("oidc:\n");
                    if (enabled != null) sb.Append(I(3)).Append("enabled: ").Append(enabled).Append("   # on/off\n");
                    sb.Append(I(3)).Append("config:\n").Append(I(4)).Append("base_redirect_uri: https://auth.example.com/\n");
                    if (providersState == 2) sb.Append(I(4)).Append(r.Next(2) == 0 ? "providers:\n" : "providers: ~\n");
                    if (providersState == 3) sb.Append(I(4)).Append("providers: []\n");
                    if (providersState == 4)
                    {
                        sb.Append(I(4)).Append("providers:\n");
                        var dash = I(4) + (r.Next(2) == 0 ? "" : new string(' ', ind));
                        sb.Append(dash).Append("- id: seeded   # first\n");
                        var k = dash + "  ";
                        sb.Append(k).Append("provider: github\n").Append(k).Append("client_id: \"c\"\n").Append(k).Append("client_secret: 's'\n");
                        sb.Append(k).Append("mapper_url: file:///m.jsonnet\n").Append(k).Append("scope: [user:email]\n");
                    }
                }
                sb.Append(I(1)).Append("flows:\n").Append(I(2)).Append("error:\n").Append(I(3)).Append("ui_url: http://127.0.0.1:4455/error\n");
                sb.Append("\n# the end\nlog:\n").Append(I(1)).Append("level: debug\n");
                text = sb.ToString();
                if (crlf) text = text.Replace("\n", "\r\n");
                origin = $"synthetic.yml(indent {ind}, state {providersState}, enabled {enabled ?? "missing"}{(crlf ? ", CRLF" : "")}{(bom ? ", BOM" : "")})";
            }
            return (TestSupport.TempFile(json ? "kratos.json" : "kratos.yml", text, bom), origin);
        }

        // ---------------------------------------------------------------- one file's run

        private sealed class Run
        {
            private readonly Random _r;
            private readonly string _path, _root;
            private readonly bool _json, _bom, _crlfOnly;
            private readonly JToken _outside;
            private readonly HashSet<string> _ours = new HashSet<string>(StringComparer.Ordinal);
            private readonly HashSet<string> _validated = new HashSet<string>(StringComparer.Ordinal);
            public readonly List<JToken> Model;
            public int Step, Refused;
            /// <summary>Steps that changed the file.</summary>
            public int Changed;
            public string LastOp = "(none)";

            public Run(Random r, string path, string root, string origin)
            {
                _r = r; _path = path; _root = root;
                _json = path.EndsWith(".json", StringComparison.Ordinal);
                var bytes = File.ReadAllBytes(path);
                _bom = bytes.Length >= 3 && bytes[0] == 0xEF;
                var text = KratosReader.Text(path);
                _crlfOnly = text.Contains("\r\n") && text.Replace("\r\n", "").IndexOf('\n') < 0;
                Model = KratosReader.Providers(text, root).ToList();
                _outside = WithoutOidc(text);
            }

            private JToken WithoutOidc(string text)
            {
                var j = KratosReader.ToJson(KratosReader.Root(text));
                var m = _root == null ? j : j.SelectToken(_root);
                (m?["selfservice"]?["methods"] as JObject)?.Remove("oidc");
                // Add creates selfservice.methods when it is missing: an empty one means the same as none.
                if (m?["selfservice"]?["methods"] is JObject me && !me.HasValues) ((JObject)m["selfservice"]).Remove("methods");
                if (m?["selfservice"] is JObject ss && !ss.HasValues) ((JObject)m).Remove("selfservice");
                return j;
            }

            private static readonly string[] Pool = Enumerable.Range(0, 10).Select(i => "rnd-" + i).ToArray();
            private static readonly string[] Odd =
            {
                "yes", "No", "null", "~", "0x1F", "1e3", "a: b", "a #b", "*star", "&amp", "!bang", "%pct", "@at", "`tick", "'q'", "\"dq\"",
                "Ünïcödé ✓ 😀", "-dash", "[x]", "{y}", "x, y", "ends:", "back\\slash", "2024-01-31", "<<", "=", "?q", "|p", ">f",
            };

            private string Value(bool allowSpaces = true)
            {
                if (_r.Next(3) == 0) return Odd[_r.Next(Odd.Length)];
                const string alphabet = "abcXYZ019.:-#'\"[]{},&*!|>%@`?~=+/\\_<>;()$^Üé✓";
                var sb = new StringBuilder();
                int n = _r.Next(1, 20);
                for (int i = 0; i < n; i++) sb.Append(allowSpaces && _r.Next(6) == 0 ? ' ' : alphabet[_r.Next(alphabet.Length)]);
                var s = sb.ToString().Trim();
                return s.Length == 0 ? "v" : s;
            }

            private string[] Scopes() => Enumerable.Range(0, _r.Next(1, 4)).Select(_ => Value(false).Replace(" ", "")).Select(v => v.Length == 0 ? "s" : v).ToArray();

            private const string Pem = "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49\nAwEHBHkwdwIBAQQgRANDOMKEY==\n-----END PRIVATE KEY-----";

            public void Go(int steps)
            {
                for (Step = 1; Step <= steps; Step++)
                {
                    var before = File.ReadAllBytes(_path);
                    var beforeText = KratosReader.Text(_path);
                    int op = _r.Next(10);
                    bool expectOk; bool mayTouchOutside = false;
                    ExternalIdpException error = null;
                    string expectedError = null;
                    var t = new ConfigFileTarget(_path, _root);
                    if (op < 4)
                    {
                        var (id, s, entry) = NewIdp();
                        bool exists = Model.OfType<JObject>().Any(e => (string)e["id"] == id);
                        bool bad = _r.Next(15) == 0;
                        if (bad) s.Label = "two\nlines";
                        LastOp = $"Add {s.Provider} '{id}'{(bad ? " with a bad label" : "")}";
                        expectedError = bad ? ErrorIds.InvalidConfiguration : exists ? ErrorIds.IdpAlreadyExists : null;
                        mayTouchOutside = true;
                        try { t.Add(null, s, Opt, new RecordingHost()); } catch (ExternalIdpException ex) { error = ex; }
                        if (error == null && expectedError == null) { Model.Add(entry); _ours.Add(id); }
                        else if (error != null && error.ErrorId == ErrorIds.ConfigFileUnsupported && expectedError == null)
                        {
                            // A corpus file the module refuses to edit in place: refused, untouched, and we stop here.
                            AssertUnchanged(before, "refused Add");
                            Refused++;
                            return;
                        }
                    }
                    else if (op < 7)
                    {
                        var ours = Model.OfType<JObject>().Where(e => _ours.Contains((string)e["id"])).ToList();
                        string id; JObject target = null;
                        if (ours.Count > 0 && _r.Next(8) != 0) { target = ours[_r.Next(ours.Count)]; id = (string)target["id"]; }
                        else id = Pool[_r.Next(Pool.Length)];
                        target = target ?? Model.OfType<JObject>().FirstOrDefault(e => (string)e["id"] == id && _ours.Contains(id));
                        var (s, apply, desc) = Changes(target);
                        LastOp = $"Set '{id}' {desc}";
                        if (target == null) expectedError = Model.OfType<JObject>().Any(e => (string)e["id"] == id) ? "any" : ErrorIds.IdpNotFound;
                        else if (s.ProviderId != null && s.ProviderId != id && Model.OfType<JObject>().Any(e => (string)e["id"] == s.ProviderId)) expectedError = ErrorIds.IdpAlreadyExists;
                        try { t.Set(id, s, Opt, new RecordingHost()); } catch (ExternalIdpException ex) { error = ex; }
                        if (error == null && target != null && expectedError == null)
                        {
                            apply(target);
                            if ((string)target["id"] != id) { _ours.Remove(id); _ours.Add((string)target["id"]); }
                        }
                        if (expectedError == "any") expectedError = error?.ErrorId;
                    }
                    else
                    {
                        string id;
                        var ours = _ours.ToList();
                        id = ours.Count > 0 && _r.Next(5) != 0 ? ours[_r.Next(ours.Count)] : Pool[_r.Next(Pool.Length)];
                        int count = Model.OfType<JObject>().Count(e => (string)e["id"] == id);
                        LastOp = $"Remove '{id}'";
                        expectedError = count == 0 ? ErrorIds.IdpNotFound : count > 1 ? ErrorIds.ConfigFileUnsupported : null;
                        try { t.Remove(id, Opt, new RecordingHost()); } catch (ExternalIdpException ex) { error = ex; }
                        if (error == null && expectedError == null) { Model.RemoveAll(e => e is JObject o && (string)o["id"] == id); _ours.Remove(id); }
                    }
                    expectOk = expectedError == null;
                    if (expectOk && error != null) throw new Exception($"{LastOp} failed unexpectedly: {error.ErrorId}: {error.Message}");
                    if (!expectOk && error == null) throw new Exception($"{LastOp} succeeded, but {expectedError} was expected");
                    if (!expectOk)
                    {
                        if (expectedError != error.ErrorId) throw new Exception($"{LastOp}: expected {expectedError}, got {error.ErrorId}: {error.Message}");
                        AssertUnchanged(before, LastOp);
                        Refused++;
                    }
                    if (error == null && !before.SequenceEqual(File.ReadAllBytes(_path))) Changed++;
                    Check(beforeText, mayTouchOutside);
                }
                Step--;
            }

            private void AssertUnchanged(byte[] before, string what)
            {
                if (!before.SequenceEqual(File.ReadAllBytes(_path))) throw new Exception($"{what} was refused, but the file changed");
                TestSupport.AssertNoTempFiles(_path);
            }

            private (string Id, IdpSettings S, JObject Entry) NewIdp()
            {
                var id = Pool[_r.Next(Pool.Length)];
                var kinds = new[] { "google", "github", "microsoft", "generic", "apple", "gitlab" };
                var kind = kinds[_r.Next(kinds.Length)];
                var s = new IdpSettings { Provider = kind, ProviderId = id, ClientId = Value(), Label = Value(), Scope = Scopes(), MapperUrl = "file:///etc/kratos/" + id + ".jsonnet" };
                var e = new JObject { ["id"] = id, ["provider"] = kind, ["client_id"] = s.ClientId, ["label"] = s.Label, ["scope"] = new JArray(s.Scope), ["mapper_url"] = s.MapperUrl };
                if (kind == "apple")
                {
                    s.AppleTeamId = "TEAM" + _r.Next(100000, 999999); s.ApplePrivateKeyId = "KEY" + _r.Next(1000000, 9999999);
                    s.ApplePrivateKey = TestSecrets.Plain(Pem);
                    e["apple_team_id"] = s.AppleTeamId; e["apple_private_key_id"] = s.ApplePrivateKeyId; e["apple_private_key"] = Pem;
                }
                else
                {
                    var secret = Value(false);
                    s.ClientSecret = TestSecrets.Plain(secret);
                    e["client_secret"] = secret;
                }
                if (kind == "microsoft") { s.TenantId = _r.Next(2) == 0 ? "common" : Guid.NewGuid().ToString(); e["microsoft_tenant"] = s.TenantId; }
                if (kind == "generic" || (kind == "gitlab" && _r.Next(2) == 0))
                {
                    s.IssuerUrl = "https://login.example.com/realms/" + _r.Next(100);
                    e["issuer_url"] = s.IssuerUrl;
                }
                return (id, s, e);
            }

            private (IdpSettings, Action<JObject>, string) Changes(JObject target)
            {
                var s = new IdpSettings();
                var acts = new List<Action<JObject>>();
                var desc = new List<string>();
                var provider = (string)target?["provider"];
                int n = _r.Next(1, 4);
                for (int i = 0; i < n; i++)
                {
                    switch (_r.Next(6))
                    {
                        case 0:
                            if (_r.Next(5) == 0) { s.Label = ""; acts.Add(e => e.Remove("label")); desc.Add("-Label ''"); }
                            else { var v = Value(); s.Label = v; acts.Add(e => e["label"] = v); desc.Add("-Label"); }
                            break;
                        case 1:
                            if (_r.Next(5) == 0) { s.Scope = new string[0]; acts.Add(e => e.Remove("scope")); desc.Add("-Scope @()"); }
                            else { var v = Scopes(); s.Scope = v; acts.Add(e => e["scope"] = new JArray(v)); desc.Add("-Scope"); }
                            break;
                        case 2:
                            { var v = Value(); s.ClientId = v; acts.Add(e => e["client_id"] = v); desc.Add("-ClientId"); }
                            break;
                        case 3:
                            if (provider == "apple") goto case 0;
                            { var v = Value(false); s.ClientSecret = TestSecrets.Plain(v); acts.Add(e => e["client_secret"] = v); desc.Add("-ClientSecret"); }
                            break;
                        case 4:
                            { var v = Pool[_r.Next(Pool.Length)]; s.ProviderId = v; acts.Add(e => e["id"] = v); desc.Add("-ProviderId " + v); }
                            break;
                        case 5:
                            { var v = "https://cdn.example.com/m" + _r.Next(1000) + ".jsonnet"; s.MapperUrl = v; acts.Add(e => e["mapper_url"] = v); desc.Add("-MapperUrl"); }
                            break;
                    }
                }
                // Later changes of one setting win, as in the single IdpSettings.
                return (s, e => { foreach (var a in acts) a(e); }, string.Join(" ", desc));
            }

            private void Check(string beforeText, bool mayTouchOutside)
            {
                var text = KratosReader.Text(_path);
                var bytes = File.ReadAllBytes(_path);
                Assert.Equal(_bom, bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF);
                if (_json) JToken.Parse(text);
                if (_crlfOnly && text.Replace("\r\n", "").IndexOf('\n') >= 0) throw new Exception("a lone LF appeared in a CRLF file");
                var providers = KratosReader.Providers(text, _root);
                if (!JToken.DeepEquals(new JArray(Model), providers))
                    throw new Exception($"the providers differ from the model.\nmodel: {new JArray(Model).ToString(Newtonsoft.Json.Formatting.None)}\nfile:  {providers.ToString(Newtonsoft.Json.Formatting.None)}");
                foreach (var e in providers.OfType<JObject>().Where(e => _ours.Contains((string)e["id"])))
                {
                    var key = e.ToString(Newtonsoft.Json.Formatting.None);
                    if (_validated.Contains(key)) continue;
                    var errors = KratosSchema.Errors(e);
                    if (errors.Count > 0) throw new Exception($"entry {key} fails Kratos's schema: {string.Join("; ", errors)}");
                    _validated.Add(key);
                }
                if (!JToken.DeepEquals(_outside, WithoutOidc(text)))
                    throw new Exception("the document outside selfservice.methods.oidc changed meaning");
                var oidcOnBefore = KratosReader.At(KratosReader.Root(beforeText), _root, "selfservice", "methods", "oidc", "enabled") is YamlDotNet.RepresentationModel.YamlScalarNode en
                                   && string.Equals(en.Value, "true", StringComparison.OrdinalIgnoreCase);
                if (text != beforeText && (!mayTouchOutside || oidcOnBefore) && KratosReader.ProvidersRegion(beforeText, _root) != null)
                {
                    var why = KratosReader.OutsideDifference(beforeText, text, _root);
                    if (why != null) throw new Exception("bytes outside the provider entries changed: " + why);
                }
                Assert.Equal(Model.Count, new ConfigFileTarget(_path, _root).GetIdps(null).Count);
                TestSupport.AssertNoTempFiles(_path);
            }
        }
    }
}
