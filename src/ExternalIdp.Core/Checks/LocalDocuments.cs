using System;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace ExternalIdp.Core.Checks
{
    /// <summary>
    /// Reads what a Kratos config names by URL without the network: file:// (relative paths against
    /// the config file's folder) and base64://. Other schemes are not read here.
    /// </summary>
    internal static class LocalDocuments
    {
        private static readonly Regex DrivePath = new Regex("^/?[A-Za-z]:[/\\\\]", RegexOptions.CultureInvariant);

        /// <summary>The file a file:// URL names, or null when url is not file://. Relative paths are taken against baseFolder.</summary>
        public static string FilePath(string url, string baseFolder)
        {
            if (url == null || !url.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) return null;
            var rest = Uri.UnescapeDataString(url.Substring(7));
            if (rest.StartsWith("localhost/", StringComparison.OrdinalIgnoreCase)) rest = rest.Substring(9);
            if (DrivePath.IsMatch(rest)) return rest.TrimStart('/');
            if (rest.StartsWith("/", StringComparison.Ordinal) || Path.IsPathRooted(rest)) return rest;
            return baseFolder == null ? rest : Path.GetFullPath(Path.Combine(baseFolder, rest));
        }

        public static bool IsFile(string url) => url != null && url.StartsWith("file://", StringComparison.OrdinalIgnoreCase);
        public static bool IsBase64(string url) => url != null && url.StartsWith("base64://", StringComparison.Ordinal);

        /// <summary>
        /// The text behind a file:// or base64:// URL. Returns null and a reason when it can't be read
        /// (no such file, not base64, another scheme). where says what was read, for messages.
        /// </summary>
        public static string Read(string url, string baseFolder, out string problem, out string where)
        {
            problem = null;
            where = null;
            if (IsBase64(url))
            {
                where = "base64:// data";
                try { return new UTF8Encoding(false, true).GetString(Convert.FromBase64String(url.Substring(9))); }
                catch (FormatException) { problem = "what follows base64:// is not base64"; }
                catch (DecoderFallbackException) { problem = "what follows base64:// decodes to bytes that are not UTF-8 text"; }
                return null;
            }
            var path = FilePath(url, baseFolder);
            if (path == null)
            {
                problem = "only file:// and base64:// URLs are read here";
                return null;
            }
            where = path;
            try
            {
                if (Directory.Exists(path)) { problem = $"{path} is a folder, not a file"; return null; }
                if (!File.Exists(path)) { problem = $"there is no file {path}"; return null; }
                return File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                problem = $"{path} can't be read ({e.Message})";
                return null;
            }
        }
    }
}
