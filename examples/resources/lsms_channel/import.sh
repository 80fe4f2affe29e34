tofu import lsms_channel.live 1234567
