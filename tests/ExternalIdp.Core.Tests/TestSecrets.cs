using System.Security;
using ExternalIdp.Core;

namespace ExternalIdp.Core.Tests
{
    /// <summary>Secrets for tests, made from plain text (the module itself only takes SecureStrings).</summary>
    internal static class TestSecrets
    {
        public static SecretValue Plain(string value)
        {
            if (value == null) return null;
            var s = new SecureString();
            foreach (var c in value) s.AppendChar(c);
            s.MakeReadOnly();
            return new SecretValue(s);
        }
    }
}
