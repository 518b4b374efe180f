"""/rfqs: requests for quotation, the suppliers' proposals and the award."""
