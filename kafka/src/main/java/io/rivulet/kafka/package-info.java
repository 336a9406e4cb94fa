package io.rivulet.kafka;
