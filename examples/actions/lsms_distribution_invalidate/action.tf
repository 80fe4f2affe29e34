# A new release of the player page: drop the cached copy from every edge.
action "lsms_distribution_invalidate" "player" {
  config {
    distribution_id = lsms_distribution.cdn.id
    paths           = ["/player/index.html", "/player/*"]
  }
}

resource "terraform_data" "player_release" {
  input = var.player_version
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.lsms_distribution_invalidate.player]
    }
  }
}
