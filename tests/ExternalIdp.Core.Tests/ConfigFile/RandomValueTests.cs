using System;
using System.IO;
using System.Linq;
using System.Text;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Newtonsoft.Json.Linq;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>Many generated values, written by Add and Set, read back exactly by an independent reader.</summary>
    public class RandomValueTests
    {
        private const string Alphabet = "abcXYZ019 .:-#'\"[]{},&*!|>%@`?~=+/\\_<>;()$^Üé✓";

        private static string Next(Random r)
        {
            var sb = new StringBuilder();
            int len = r.Next(1, 14);
            for (int i = 0; i < len; i++) sb.Append(Alphabet[r.Next(Alphabet.Length)]);
            if (r.Next(6) == 0) return new[] { "yes", "NO", "null", "~", "0o17", "1_000", "-.inf", "1:2:3", "2001-12-14t21:59:43.10-05:00", "=", "<<" }[r.Next(11)];
            return sb.ToString();
        }

        [Theory]
        [InlineData("kratos.yml", 1)]
        [InlineData("kratos.yml", 2)]
        [InlineData("kratos.json", 3)]
        public void Generated_labels_and_client_ids_round_trip(string file, int seed)
        {
            var r = new Random(seed);
            var path = TempFile(file, file.EndsWith(".json") ? EditTests.JsonBase : EditTests.Base);
            var t = new ConfigFileTarget(path, null);
            int before = t.GetIdps(null).Count;
            for (int i = 0; i < 40; i++)
            {
                var label = Next(r);
                var clientId = Next(r).Trim();
                if (clientId.Length == 0) clientId = "x";
                var s = Google();
                s.ProviderId = "p" + i;
                s.Label = label;
                s.ClientId = clientId;
                s.Scope = new[] { Next(r).Replace(" ", ""), "email" }.Where(x => x.Length > 0).ToArray();
                var idp = t.Add(null, s, new OperationOptions(), new RecordingHost());
                Assert.Equal(label, idp.Label);
                var e = EntryOf(path, null, "p" + i);
                Assert.Equal(label, Scalar(e, "label"));
                Assert.Equal(clientId, Scalar(e, "client_id"));
                Assert.Equal(s.Scope, List(e, "scope"));
                var newLabel = Next(r);
                t.Set("p" + i, new IdpSettings { Label = newLabel }, new OperationOptions(), new RecordingHost());
                Assert.Equal(newLabel, Scalar(EntryOf(path, null, "p" + i), "label"));
            }
            if (file.EndsWith(".json")) JObject.Parse(File.ReadAllText(path));
            Assert.Equal(before + 40, t.GetIdps(null).Count);
            Assert.All(t.GetIdps(null).Skip(before), i => Assert.Equal("Valid", i.Status));
        }
    }
}
