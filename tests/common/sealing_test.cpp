// common/sealing.h: sealed boxes, wrapped keys, secret holders and the wipe primitive.
#include <catch2/catch.hpp>

#include <string>

#include "common/sealing.h"

using namespace kiosk;

TEST_CASE("a sealed box opens with its key pair only") {
    common::PublicKey publicKey{};
    common::SecretBytes secret(crypto_box_SECRETKEYBYTES);
    REQUIRE(common::makeKeyPair(publicKey, secret));
    const std::string sealed = common::seal("bí mật", publicKey);
    // "<fingerprint of the key>:<base64 of the box>"
    REQUIRE(common::sealedFingerprint(sealed) == common::keyFingerprint(publicKey));
    CHECK(common::keyFingerprint(publicKey).size() == 16);
    const std::string box = sealed.substr(17);
    REQUIRE(common::fromBase64(box));
    CHECK(common::fromBase64(box)->size() == std::string("bí mật").size() + crypto_box_SEALBYTES);
    std::string plain;
    REQUIRE(common::openSealed(sealed, publicKey, secret.data(), plain));
    CHECK(plain == "bí mật");

    common::PublicKey otherPublic{};
    common::SecretBytes other(crypto_box_SECRETKEYBYTES);
    REQUIRE(common::makeKeyPair(otherPublic, other));
    CHECK_FALSE(common::openSealed(sealed, otherPublic, other.data(), plain));
    CHECK_FALSE(common::openSealed("not base64!", publicKey, secret.data(), plain));
    CHECK_FALSE(common::openSealed(common::toBase64(publicKey.data(), 8), publicKey, secret.data(), plain));
    // A box from before boxes named their key (base64 alone) still opens.
    CHECK_FALSE(common::sealedFingerprint(box));
    plain.clear();
    REQUIRE(common::openSealed(box, publicKey, secret.data(), plain));
    CHECK(plain == "bí mật");
}

TEST_CASE("a wrapped key unwraps with its PIN only") {
    const common::KdfCost cheap{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    auto wrapped = common::makeWrappedKey("123456", cheap);
    REQUIRE(wrapped);
    common::SecretBytes secret(crypto_box_SECRETKEYBYTES);
    REQUIRE(common::unwrapSecretKey(*wrapped, "123456", secret));
    // The unwrapped secret is the public key's other half.
    unsigned char derived[crypto_box_PUBLICKEYBYTES];
    crypto_scalarmult_base(derived, secret.data());
    CHECK(std::string(reinterpret_cast<char*>(derived), sizeof derived) ==
          std::string(reinterpret_cast<const char*>(wrapped->publicKey.data()), wrapped->publicKey.size()));

    auto wrong = common::unwrapSecretKey(*wrapped, "654321", secret);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == "vault.wrong-pin");
    common::WrappedKey damaged = *wrapped;
    damaged.salt = "AAAA";
    CHECK(common::unwrapSecretKey(damaged, "123456", secret).error().code == "vault.corrupt");
}

TEST_CASE("base64 round-trips and refuses what is not base64") {
    const unsigned char bytes[] = {0, 1, 2, 250, 251, 252, 253};
    const std::string text = common::toBase64(bytes, sizeof bytes);
    CHECK(text == "AAEC+vv8/Q==");
    CHECK(common::fromBase64(text) == std::string(reinterpret_cast<const char*>(bytes), sizeof bytes));
    CHECK_FALSE(common::fromBase64("@@@"));
    CHECK_FALSE(common::publicKeyFromBase64(text));  // the wrong length for a key
}

TEST_CASE("wipe zeroes a secret, SecretString and SecretBytes hold one") {
    std::string pin = "123456";
    common::wipe(pin);
    CHECK(pin.empty());        // and its bytes zeroed: "sealing: a wiped string is zeroed and left empty"
    common::wipe(nullptr, 0);  // nothing to wipe is fine
    common::SecretString text("secret");
    CHECK(text.text() == "secret");
    common::SecretBytes bytes(32);
    REQUIRE(bytes.ok());
    CHECK(bytes.size() == 32);
}

TEST_CASE("sealing: a wiped string is zeroed and left empty") {
    std::string secret = "012345678901";
    const char* bytes = secret.data();  // small enough to live in the string itself
    kiosk::common::wipe(secret);
    CHECK(secret.empty());
    CHECK(std::string(bytes, 12) == std::string(12, '\0'));
}
