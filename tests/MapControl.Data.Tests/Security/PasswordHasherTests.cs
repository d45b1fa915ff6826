using System.Security.Cryptography;
using System.Text;
using MapControl.Data.Security;

namespace MapControl.Data.Tests.Security;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Hash_then_Verify_right_password_true_wrong_false()
    {
        var hash = PasswordHasher.Hash("mapcontrol-demo");

        hash.Should().StartWith("pbkdf2-sha256$600000$", "OWASP's 2023 cost for PBKDF2-HMAC-SHA256");
        PasswordHasher.NeedsRehash(hash).Should().BeFalse();
        PasswordHasher.NeedsRehash(hash.Replace("$600000$", "$100000$")).Should().BeTrue();
        PasswordHasher.Verify("mapcontrol-demo", hash).Should().BeTrue();
        PasswordHasher.Verify("mapcontrol-demO", hash).Should().BeFalse();
        PasswordHasher.Hash("mapcontrol-demo").Should().NotBe(hash, "each hash has its own salt");
    }

    [Fact]
    public void Verify_hash_made_independently_with_known_salt_true()
    {
        // Built here from the format's definition, not by Hash: PBKDF2-HMAC-SHA256, 1000 iterations, salt "saltsaltsaltsalt".
        var salt = Encoding.ASCII.GetBytes("saltsaltsaltsalt");
        var derived = Rfc2898DeriveBytes.Pbkdf2("密码 password"u8.ToArray(), salt, 1000, HashAlgorithmName.SHA256, 32);
        var stored = $"pbkdf2-sha256$1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(derived)}";

        PasswordHasher.Verify("密码 password", stored).Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha256$abc$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64$AAAA")]
    [InlineData("md5$1000$AAAA$AAAA")]
    public void Verify_malformed_hash_false(string stored) => PasswordHasher.Verify("whatever1", stored).Should().BeFalse();

    [Fact]
    public void Hash_short_password_throws() =>
        FluentActions.Invoking(() => PasswordHasher.Hash("short")).Should().Throw<ArgumentException>().WithMessage("*at least 8*");

    [Fact]
    public void HashApiToken_is_sha256_hex_of_the_token()
    {
        var token = PasswordHasher.NewApiToken();
        token.Should().StartWith("mct_").And.MatchRegex("^mct_[A-Za-z0-9_-]{43}$");
        PasswordHasher.HashApiToken("abc").Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
