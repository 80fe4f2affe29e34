# The command that feeds the channel a test card once it runs.
output "test_card_command" {
  value = provider::lsms::test_card_command(lsms_channel.live.input_endpoints[0],
  lsms_channel.live.encoding_profile)
}
