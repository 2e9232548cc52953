package dev.crucible.api.webhook;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The address logic alone: nothing here is ever sent anywhere. */
class PublicAddressesTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.255.255.254", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
        "169.254.169.254", "100.64.0.1", "100.127.255.255", "192.0.0.170", "198.18.0.1", "224.0.0.1", "255.255.255.255",
        "::1", "::", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::", "2001:0:4136:e378::1",
        "fc00::1", "fd00:ec2::254", "fe80::1", "ff02::1", "2001:db8::1"})
    void refusesAddressesThatAreNotPublic(String literal) throws Exception {
        assertNotNull(PublicAddresses.refusal(InetAddress.getByName(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "::ffff:0:7f00:1", "::ffff:0:0:7f00:1", "::ffff:0:a00:1", "::7f00:1", "::127.0.0.1", "::a9fe:a9fe",
        "::5db8:d822", "::ffff:0:5db8:d822", "0:ffff::1", "ff::1"})
    void refusesEverythingInTheReservedPrefixThatEmbedsIpv4(String literal) throws Exception {
        assertNotNull(PublicAddresses.refusal(InetAddress.getByName(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"64:ff9b::5db8:d822", "64:ff9b:1::5db8:d822", "2002:5db8:d822::1", "2001:0:5db8:d822::1"})
    void refusesTranslationPrefixesEvenWhenTheyEmbedAPublicIpv4(String literal) throws Exception {
        assertNotNull(PublicAddresses.refusal(InetAddress.getByName(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450::1"})
    void allowsPublicUnicast(String literal) throws Exception {
        assertNull(PublicAddresses.refusal(InetAddress.getByName(literal)), literal);
    }
}
