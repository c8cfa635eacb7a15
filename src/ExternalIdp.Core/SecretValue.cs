using System;
using System.Runtime.InteropServices;
using System.Security;

namespace ExternalIdp.Core
{
    /// <summary>
    /// A secret on its way to where it is stored. ToString never shows it; Reveal() is
    /// called only by the code that writes it to its destination (a config file, a private
    /// juju options file).
    /// </summary>
    public sealed class SecretValue
    {
        private readonly SecureString _secure;

        public SecretValue(SecureString value)
        {
            _secure = value ?? throw new ArgumentNullException(nameof(value));
            if (!_secure.IsReadOnly()) { _secure = _secure.Copy(); _secure.MakeReadOnly(); }
        }

        /// <summary>
        /// A secret read as text from where it is stored (a config file, an integrator's options), on
        /// its way to another target: Sync-KratosIdp carries it inside the core, never through the pipeline.
        /// </summary>
        internal static SecretValue FromPlainText(string value)
        {
            if (value == null) return null;
            var s = new SecureString();
            foreach (var c in value) s.AppendChar(c);
            s.MakeReadOnly();
            return new SecretValue(s);
        }

        public int Length => _secure.Length;
        public bool IsEmpty => _secure.Length == 0;

        public string Reveal()
        {
            IntPtr p = IntPtr.Zero;
            try
            {
                p = Marshal.SecureStringToGlobalAllocUnicode(_secure);
                // With the length: a NUL inside the secret must not cut it short.
                return Marshal.PtrToStringUni(p, _secure.Length) ?? string.Empty;
            }
            finally
            {
                if (p != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(p);
            }
        }

        public override string ToString() => "(secret)";
    }
}
