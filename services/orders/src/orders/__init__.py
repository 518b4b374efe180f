"""Orders service: owns sales orders and drives them from placed to invoiced."""
