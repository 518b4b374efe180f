-- One database per service (docker-compose's postgres runs this once, on an empty volume).
CREATE DATABASE oms_catalog;
CREATE DATABASE oms_quoting;
CREATE DATABASE oms_orders;
CREATE DATABASE oms_inventory;
CREATE DATABASE oms_billing;
CREATE DATABASE oms_procurement;
CREATE DATABASE oms_woocommerce;
CREATE DATABASE oms_gateway;
